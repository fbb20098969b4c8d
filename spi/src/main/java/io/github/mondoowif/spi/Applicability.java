package io.github.mondoowif.spi;

import java.util.Objects;

/**
 * Whether a {@link CredentialProvider} applies in this environment, and why. The reason is shown to users
 * (in the aggregated "nothing applies" error and in {@code doctor}), so make it specific:
 * {@code "MSI_ENDPOINT is not set"}, not {@code "not found"}.
 */
public final class Applicability {
  private final boolean applicable;
  private final String reason;

  private Applicability(boolean applicable, String reason) {
    this.applicable = applicable;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public static Applicability applicable(String reason) {
    return new Applicability(true, reason);
  }

  public static Applicability notApplicable(String reason) {
    return new Applicability(false, reason);
  }

  public boolean applicable() {
    return applicable;
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return (applicable ? "applicable: " : "not applicable: ") + reason;
  }
}
