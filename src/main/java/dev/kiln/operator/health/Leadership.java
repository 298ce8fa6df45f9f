package dev.kiln.operator.health;

import jakarta.inject.Singleton;

/** Whether this replica holds the Lease: the leader reconciles, standbys wait to take over. */
@Singleton
public class Leadership {

  private volatile boolean leading;

  public void startedLeading() {
    leading = true;
  }

  public void stoppedLeading() {
    leading = false;
  }

  public boolean leading() {
    return leading;
  }
}
