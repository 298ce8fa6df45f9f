package dev.kiln.testing;

/** The operator a test runs against: started, stopped, crashed and restarted by the test. */
public interface OperatorControl {

  void start();

  /** Stops the operator the way a Pod is stopped: it may finish what it is doing. */
  void stop();

  /** Ends the operator at once, in the middle of whatever it does: a crash. */
  void kill();

  /** Stops the operator and starts a new one: a crash and a restart, as far as the cluster can tell. */
  default void restart() {
    stop();
    start();
  }

  /** What the operator ran inside machines, when the test records it. */
  RecordingExec exec();
}
