package dev.kiln.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One upstream component running as a local process, its output kept in a log file of its own. */
final class UpstreamComponent implements AutoCloseable {

  private final String name;
  private final Path log;
  private final Process process;

  private UpstreamComponent(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static UpstreamComponent start(String name, Path logDir, List<String> command) {
    Path log = logDir.resolve(name + ".log");
    try {
      Files.createDirectories(logDir);
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      return new UpstreamComponent(name, log, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** Fails with the end of the component's log when it has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; the end of "
          + log + ":\n" + tail(40));
    }
  }

  String tail(int lines) {
    return tail(log, lines);
  }

  /** The last lines of a log file. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
