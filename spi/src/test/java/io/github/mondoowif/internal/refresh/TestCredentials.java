package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;

/** Real credentials (P-384 key, X.509 certificate) with a chosen lifetime. */
final class TestCredentials {
  private TestCredentials() {}

  /** A credential obtained at {@code now} that expires {@code lifetime} later. */
  static MondooCredential issued(Instant now, Duration lifetime) {
    try {
      return MondooCredential.parse(FakeMondoo.base64Credential(now.plus(lifetime)), "fake-source", now,
          Duration.ofHours(1));
    } catch (InvalidCredentialException e) {
      throw new AssertionError(e);
    }
  }
}
