package dev.kiln.operator.support;

/**
 * How every controller retries a pass that failed: from one second, half as long again each time, at
 * most every 30 seconds, for about 50 minutes. The framework's default gives up after five attempts
 * (about 16 seconds); an API server that restarts under load is away longer than that, and an object
 * given up on waits for its next change, which a held or frozen instance may never get.
 */
public final class Retries {

  public static final int MAX_ATTEMPTS = 100;
  public static final long INITIAL_INTERVAL = 1_000;
  public static final double MULTIPLIER = 1.5;
  public static final long MAX_INTERVAL = 30_000;

  private Retries() {}
}
