package io.github.mondoowif.spi;

import io.github.mondoowif.internal.Secrets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The external identity token a provider fetched: the JWT that Mondoo's STS will verify, and its expiry
 * when known.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows a fingerprint, never the token.
 */
public final class SubjectToken {
  private final String value;
  private final Instant expiresAt;
  private final boolean reusable;

  private SubjectToken(String value, Instant expiresAt, boolean reusable) {
    this.value = value;
    this.expiresAt = expiresAt;
    this.reusable = reusable;
  }

  /**
   * A token that may be reused for later exchanges while it has at least five minutes left.
   *
   * @param expiresAt when the token stops being valid, or {@code null} when unknown (then it is never
   *     reused)
   */
  public static SubjectToken of(String value, Instant expiresAt) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("subject token is blank");
    }
    return new SubjectToken(value, expiresAt, expiresAt != null);
  }

  /**
   * The same token, marked as never to be reused: the next exchange fetches again. Use this for tokens
   * read from files, which rotate underneath.
   */
  public SubjectToken notReusable() {
    return new SubjectToken(value, expiresAt, false);
  }

  /** The raw token. Secret: never log it. */
  public String value() {
    return value;
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** Whether the refresh engine may reuse this token for a later exchange. */
  public boolean reusable() {
    return reusable;
  }

  /** A short SHA-256 fingerprint of the token, safe to log. */
  public String fingerprint() {
    return Secrets.fingerprint(value);
  }

  @Override
  public String toString() {
    return "SubjectToken{sha256=" + fingerprint() + ", expiresAt=" + expiresAt + ", reusable=" + reusable + "}";
  }
}
