package io.github.mondoowif.internal.jmx;

/**
 * The status of one Mondoo credential source, registered as
 * {@code io.github.mondoowif:type=Credential,name=<name>}. Times are ISO-8601 instants, or {@code null}
 * when unknown. No attribute holds a secret: the credential shows only as a SHA-256 fingerprint, and the
 * last error is sanitised. Internal, may change; public only because JMX requires it.
 */
public interface CredentialMXBean {
  String getName();

  /** The identity source the credential comes from, e.g. {@code azure-imds}. */
  String getProvider();

  /** NONE, FRESH, STALE, EXPIRED or CLOSED. */
  String getState();

  String getExpiresAt();

  String getLastSuccessfulRefresh();

  /** When the next exchange is planned (the jittered stale point, or the retry after a failure). */
  String getNextPlannedRefresh();

  boolean isRefreshing();

  int getConsecutiveFailures();

  /** The last failure, sanitised; {@code null} after a success. */
  String getLastError();

  /** How many credentials were obtained since the source was built. */
  long getRefreshCount();

  /** The first 12 hex digits of the SHA-256 of the current credential. */
  String getFingerprint();
}
