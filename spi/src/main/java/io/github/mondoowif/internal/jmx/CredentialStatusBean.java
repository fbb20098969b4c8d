package io.github.mondoowif.internal.jmx;

import io.github.mondoowif.internal.refresh.CredentialStatus;
import java.time.Instant;
import java.util.function.Supplier;

/** A {@link CredentialMXBean} that reads a fresh {@link CredentialStatus} per attribute. Internal. */
final class CredentialStatusBean implements CredentialMXBean {
  private final Supplier<CredentialStatus> status;

  CredentialStatusBean(Supplier<CredentialStatus> status) {
    this.status = status;
  }

  @Override
  public String getName() {
    return status.get().name;
  }

  @Override
  public String getProvider() {
    return status.get().provider;
  }

  @Override
  public String getState() {
    return status.get().phase.name();
  }

  @Override
  public String getExpiresAt() {
    return text(status.get().expiresAt);
  }

  @Override
  public String getLastSuccessfulRefresh() {
    return text(status.get().lastSuccessfulRefresh);
  }

  @Override
  public String getNextPlannedRefresh() {
    return text(status.get().nextPlannedRefresh);
  }

  @Override
  public boolean isRefreshing() {
    return status.get().refreshing;
  }

  @Override
  public int getConsecutiveFailures() {
    return status.get().consecutiveFailures;
  }

  @Override
  public String getLastError() {
    return status.get().lastError;
  }

  @Override
  public long getRefreshCount() {
    return status.get().refreshCount;
  }

  @Override
  public String getFingerprint() {
    return status.get().fingerprint;
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
