package io.github.mondoowif.internal.http;

import java.time.Duration;

/**
 * How a metadata request is retried, after the table in azure-token-sources.md: transient statuses
 * (404, 408, 429, 5xx) and I/O errors with exponential backoff and full jitter from 1 s, a bounded number
 * of attempts, {@code Retry-After} honoured up to a cap; 410 (IMDS upgrading) every 10 s for up to 70 s.
 * Internal.
 */
public final class RetryPolicy {
  public static final RetryPolicy METADATA =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30),
          Duration.ofSeconds(10), Duration.ofSeconds(70));

  public final int maxAttempts;
  public final Duration base;
  public final Duration cap;
  public final Duration maxRetryAfter;
  public final Duration goneInterval;
  public final Duration goneBudget;

  public RetryPolicy(int maxAttempts, Duration base, Duration cap, Duration maxRetryAfter, Duration goneInterval,
      Duration goneBudget) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 but was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.base = base;
    this.cap = cap;
    this.maxRetryAfter = maxRetryAfter;
    this.goneInterval = goneInterval;
    this.goneBudget = goneBudget;
  }

  /** Whether a status is transient for a metadata endpoint. */
  public static boolean transientStatus(int status) {
    return status == 404 || status == 408 || status == 429 || (status >= 500 && status <= 599);
  }
}
