package io.github.mondoowif.internal.http;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter: a uniform delay in [0, min(cap, base·2^(n−1))]. Internal. */
public final class Backoff {
  private Backoff() {}

  /**
   * @param failures how many consecutive failures so far (1 for the first)
   * @param random a source of uniform doubles in [0, 1)
   */
  public static Duration fullJitter(int failures, Duration base, Duration cap, DoubleSupplier random) {
    return Duration.ofMillis(Math.round(ceiling(failures, base, cap).toMillis() * random.getAsDouble()));
  }

  /** The upper bound of the jittered delay after {@code failures} consecutive failures. */
  public static Duration ceiling(int failures, Duration base, Duration cap) {
    int shift = Math.max(0, Math.min(failures - 1, 30));
    long ms = base.toMillis() << shift;
    if (ms < 0 || ms > cap.toMillis()) {
      ms = cap.toMillis();
    }
    return Duration.ofMillis(ms);
  }
}
