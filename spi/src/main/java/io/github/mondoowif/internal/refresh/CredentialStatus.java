package io.github.mondoowif.internal.refresh;

import java.time.Instant;

/**
 * A snapshot of one source's refresh state, for JMX and diagnostics. Holds no secret: the last error is
 * already sanitised. Internal, may change.
 */
public final class CredentialStatus {
  /** Where the current credential stands. */
  public enum Phase {
    /** Nothing obtained yet (or the source was closed). */
    NONE,
    FRESH,
    /** Served, with a refresh due. */
    STALE,
    /** Not served any more: callers wait or fail. */
    EXPIRED,
    CLOSED
  }

  public final String name;
  public final String provider;
  public final Phase phase;
  public final Instant expiresAt;
  public final Instant lastSuccessfulRefresh;
  public final Instant nextPlannedRefresh;
  public final boolean refreshing;
  public final int consecutiveFailures;
  public final String lastError;
  public final long refreshCount;
  public final String fingerprint;

  CredentialStatus(String name, String provider, Phase phase, Instant expiresAt, Instant lastSuccessfulRefresh,
      Instant nextPlannedRefresh, boolean refreshing, int consecutiveFailures, String lastError, long refreshCount,
      String fingerprint) {
    this.name = name;
    this.provider = provider;
    this.phase = phase;
    this.expiresAt = expiresAt;
    this.lastSuccessfulRefresh = lastSuccessfulRefresh;
    this.nextPlannedRefresh = nextPlannedRefresh;
    this.refreshing = refreshing;
    this.consecutiveFailures = consecutiveFailures;
    this.lastError = lastError;
    this.refreshCount = refreshCount;
    this.fingerprint = fingerprint;
  }

  @Override
  public String toString() {
    return "CredentialStatus{name=" + name + ", provider=" + provider + ", phase=" + phase + ", expiresAt="
        + expiresAt + ", lastSuccessfulRefresh=" + lastSuccessfulRefresh + ", nextPlannedRefresh="
        + nextPlannedRefresh + ", refreshing=" + refreshing + ", consecutiveFailures=" + consecutiveFailures
        + ", refreshCount=" + refreshCount + ", sha256=" + fingerprint + ", lastError=" + lastError + "}";
  }
}
