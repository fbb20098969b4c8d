package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.testing.FakeMondoo;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mondoo's STS refusing, failing, stalling, or answering 200 with something that is not a usable
 * credential, under the production exchange (three attempts, backoff from 500 ms) and engine. The token
 * source is an App Service fake whose day-long token is reused, so STS faults never reach it unless the
 * STS refuses the token.
 */
@ExtendWith(Witness.Extension.class)
class StsFaultsTest {
  @StartStop final MockWebServer metadata = NoDelay.server();
  @StartStop final MockWebServer mondoo = NoDelay.server();

  private final FakeClock clock = new FakeClock(Planted.T0);
  private FakeEndpoint azure;
  private FakeSts sts;

  @BeforeEach
  void fakes() {
    azure = new FakeEndpoint(metadata, clock);
    sts = new FakeSts(mondoo, clock);
  }

  private Stack stack() throws Exception {
    return Stack.builder(clock, sts).env(Stack.appService(azure)).build();
  }

  private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    assertThat(t).isInstanceOf(CredentialUnavailableException.class).hasCauseInstanceOf(type);
    return type.cast(t.getCause());
  }

  @ParameterizedTest(name = "HTTP {0}, code {1}")
  @CsvSource({"401, 16", "403, 7"})
  void refused_notRetried_messageHasWhatWasSentAndTheTokensClaims_tokenFetchedAnewNextTime(int status, int code)
      throws Exception {
    sts.answer(FakeSts.rpcError(status, code, "identity binding does not match"));
    try (Stack s = stack()) {
      ExchangeException e = cause(s.failure(), ExchangeException.class);

      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains(sts.server.url("/SecureTokenService/ExchangeExternalToken").toString(),
          "HTTP " + status + ", code " + code + ", message \"identity binding does not match\"",
          "Sent audience=" + FakeMondoo.SPACE, "issuer_uri=" + FakeMondoo.ISSUER,
          "sub=11111111-2222-3333-4444-555555555555", "Likely cause: the identity binding in Mondoo");
      assertThat(sts.count()).isEqualTo(1);
      assertThat(s.sleeps.waits()).isEmpty();
      assertThat(azure.count()).isEqualTo(1);
      // What operators see without a stack trace: the status and its log line name endpoint and issuer.
      assertThat(s.source.status().lastError).contains(sts.server.url("/SecureTokenService/ExchangeExternalToken")
          .toString(), "issuer_uri=" + FakeMondoo.ISSUER, "HTTP " + status);

      s.runNextTimer();
      assertThat(sts.count()).isEqualTo(2);
      assertThat(azure.count()).as("a refused token is not offered again").isEqualTo(2);
    }
  }

  @Test
  void htmlBadGatewayFromAProxy_retriedThrice_messageQuotesAnExcerpt() throws Exception {
    sts.answer(new MockResponse.Builder().code(502).setHeader("Content-Type", "text/html")
        .body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
            + "<hr><center>nginx</center></body></html>\n").build());
    try (Stack s = stack()) {
      ExchangeException e = cause(s.failure(), ExchangeException.class);

      assertThat(e.status()).isEqualTo(502);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("HTTP 502, body: \"<html><head><title>502 Bad Gateway</title>",
          "(after 3 attempts)", "Mondoo's STS is unavailable or throttling");
      assertThat(sts.count()).isEqualTo(3);
      assertThat(s.sleeps.waits()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    }
  }

  @Test
  void throttledWithRetryAfter_waitsAsAsked() throws Exception {
    sts.answer(new MockResponse.Builder().code(429).setHeader("Retry-After", "7")
        .body("{\"code\":8,\"message\":\"slow down\"}").build());
    try (Stack s = stack()) {
      ExchangeException e = cause(s.failure(), ExchangeException.class);

      assertThat(e.getMessage()).contains("HTTP 429, code 8, message \"slow down\"", "(after 3 attempts)");
      assertThat(sts.count()).isEqualTo(3);
      assertThat(s.sleeps.waits()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
      assertThat(azure.count()).as("throttling does not cost the token").isEqualTo(1);
    }
  }

  @Test
  void unavailableForTenMinutesWithNothingHeld_requestsBoundedByBackoff_thenRecovers() throws Exception {
    sts.answer(FakeSts.rpcError(503, 14, "unavailable"));
    Instant end = Planted.T0.plus(Duration.ofMinutes(10));
    try (Stack s = stack()) {
      int failures = 0;
      while (clock.instant().isBefore(end)) {
        assertThat(s.failure()).isInstanceOf(CredentialUnavailableException.class);
        failures++;
        s.scheduler.advance(Duration.ofSeconds(2));
      }

      // A call every 2 s (each attempt's two retry waits also pass 0.75 s). Without a credential the
      // backoff is capped at 30 s (15 s at random 0.5): about 600 / (15 + 0.75) engine attempts of three
      // requests each.
      int attempts = s.source.status().consecutiveFailures;
      assertThat(failures).isGreaterThan(250);
      assertThat(attempts).isBetween(35, 45);
      assertThat(sts.count()).isEqualTo(3 * attempts);
      assertGapsAtLeast(sts.hits(), Duration.ofMillis(250));
      assertThat(azure.count()).isEqualTo(1);

      sts.healthy();
      s.runNextTimer();
      MondooCredential c = s.get();
      assertThat(c.expiresAt()).isAfter(clock.instant());
      assertThat(s.source.status().consecutiveFailures).isZero();
    }
  }

  @Test
  void unavailableForTenMinutesWhileACredentialIsHeld_oldOneServedThroughout_requestsBounded() throws Exception {
    try (Stack s = stack()) {
      MondooCredential first = s.get();
      sts.answer(FakeSts.rpcError(503, 14, "unavailable"));
      long staleAt = s.source.status().nextPlannedRefresh.toEpochMilli();
      s.scheduler.advanceTo(staleAt);
      long end = staleAt + Duration.ofMinutes(10).toMillis();
      while (clock.millis() < end) {
        assertThat(s.get()).isSameAs(first);
        s.scheduler.advance(Duration.ofSeconds(2));
      }

      // Backoff doubles from 0.5 s, capped by a quarter of what the credential has left (14 min at the
      // stale point): about 16 attempts, 3 requests each.
      int attempts = s.source.status().consecutiveFailures;
      assertThat(attempts).isBetween(10, 20);
      assertThat(sts.count()).isEqualTo(1 + 3 * attempts);

      sts.healthy();
      s.runNextTimer();
      assertThat(s.get()).isNotSameAs(first);
    }
  }

  @Test
  void invalidBase64_refusedAsInvalidCredential() throws Exception {
    String bad = Witness.plant("not*base64!" + Planted.hex(20));
    sts.answer(FakeSts.ok(bad));
    try (Stack s = stack()) {
      InvalidCredentialException e = cause(s.failure(), InvalidCredentialException.class);

      assertThat(e.getMessage()).contains("base64_credential is not valid base64 (sha256=");
      assertThat(sts.count()).isEqualTo(1);
      assertThat(s.sleeps.waits()).isEmpty();
    }
  }

  @Test
  void base64OfNonJson_refusedAsInvalidCredential() throws Exception {
    sts.answer(FakeSts.ok(FakeSts.planted("mrn: not json at all, " + Planted.hex(30))));
    try (Stack s = stack()) {
      InvalidCredentialException e = cause(s.failure(), InvalidCredentialException.class);

      assertThat(e.getMessage()).contains("does not decode to a JSON service-account document");
      assertThat(sts.count()).isEqualTo(1);
    }
  }

  @Test
  void jsonWithoutPrivateKey_refusedNamingTheMissingField() throws Exception {
    KeyPair keys = FakeMondoo.p384();
    String cert = FakeMondoo.certificatePem(keys, "x", Planted.T0.minusSeconds(60), Planted.T0.plusSeconds(3600));
    sts.answer(FakeSts.ok(FakeSts.planted("{\"mrn\":\"" + FakeMondoo.MRN + "\",\"certificate\":\""
        + cert.replace("\n", "\\n") + "\"}")));
    try (Stack s = stack()) {
      InvalidCredentialException e = cause(s.failure(), InvalidCredentialException.class);

      assertThat(e.getMessage()).contains("has no \"private_key\"", "fields present: [mrn, certificate]");
      assertThat(sts.count()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"not PEM, is not a PEM block", "PEM of garbage, is not an X.509 certificate"})
  void garbageCertificate_refused(String kind, String expected) throws Exception {
    KeyPair keys = FakeMondoo.p384();
    Witness.plant(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
    String garbage = kind.equals("not PEM") ? "garbage" : FakeMondoo.pem("CERTIFICATE", "garbage!".getBytes());
    sts.answer(FakeSts.ok(FakeSts.planted(FakeMondoo.serviceAccountJson(keys, garbage))));
    try (Stack s = stack()) {
      InvalidCredentialException e = cause(s.failure(), InvalidCredentialException.class);

      assertThat(e.getMessage()).contains("\"certificate\"", expected);
      assertThat(sts.count()).isEqualTo(1);
    }
  }

  @Test
  void expiredCertificate_servedForTheConfiguredLifetime_andSaysSo() throws Exception {
    sts.answer(r -> FakeSts.ok(sts.credential(clock.instant().minus(Duration.ofHours(3)),
        clock.instant().minus(Duration.ofHours(1)))));
    try (Stack s = Stack.builder(clock, sts).env(Stack.appService(azure))
        .config(c -> c.credentialLifetime(Duration.ofMinutes(90))).build();
        Witness.LogTap log = new Witness.LogTap()) {
      MondooCredential c = s.get();

      assertThat(c.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(90)));
      assertThat(c.certificate().getNotAfter().toInstant()).isBefore(clock.instant());
      assertThat(log.texts).anySatisfy(l -> assertThat(l).startsWith("WARNING").contains("certificate",
          "expired at " + Planted.T0.minus(Duration.ofHours(1)), "mondoo.wif.credential-lifetime", "clock"));
      assertThat(sts.count()).isEqualTo(1);
    }
  }

  @Test
  void certificateValidForOneSecond_neverHandedOutExpired_andNoRefreshStorm() throws Exception {
    sts.lifetime = Duration.ofSeconds(1);
    try (Stack s = stack()) {
      List<String> messages = new ArrayList<>();
      int served = 0;
      long end = clock.millis() + Duration.ofMinutes(10).toMillis();
      while (clock.millis() < end) {
        long now = clock.millis();
        try {
          MondooCredential c = s.get();
          assertThat(now).as("served only before its expired point").isLessThan(Stack.expiredAt(c));
          served++;
        } catch (CredentialUnavailableException e) {
          Witness.observe(e);
          messages.add(e.getMessage());
        }
        s.scheduler.advance(Duration.ofMillis(500));
      }

      // 1200 calls in ten minutes. Failing attempts back off up to every 30 s (15 s at random 0.5).
      assertThat(sts.count()).as("exchanges in ten minutes").isLessThan(60);
      assertThat(served).isZero();
      assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m).contains("valid for only"));
    }
  }

  @Test
  void tenMebibyteCredential_refusedUnread_notRetried() throws Exception {
    StringBuilder big = new StringBuilder(10 << 20);
    while (big.length() < 10 << 20) {
      big.append("QUFBQUFBQUFB");
    }
    String huge = big.toString();
    sts.answer(FakeSts.ok(huge));
    try (Stack s = stack()) {
      ExchangeException e = cause(s.failure(), ExchangeException.class);

      assertThat(e.getMessage()).contains("response body larger than 1 MiB", "refusing to read it");
      assertThat(e.retryable()).isFalse();
      assertThat(sts.count()).isEqualTo(1);
      assertThat(s.sleeps.waits()).isEmpty();
    }
  }

  @Test
  void neverAnswers_callerWaitsOnlyTheWaitTimeout_exchangeEndsAfterThreeRequestTimeouts() throws Exception {
    sts.answer(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    try (Stack s = Stack.builder(clock, sts).env(Stack.appService(azure))
        .config(c -> c.requestTimeout(Duration.ofMillis(300))).async().waitTimeout(Duration.ofMillis(500)).build()) {
      long started = System.nanoTime();
      Throwable t = s.failure();
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofMillis(2000));
      assertThat(t).isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("within PT0.5S").hasMessageContaining("has not finished")
          .hasMessageContaining("mondoo.wif.wait-timeout");

      await().atMost(Duration.ofSeconds(5)).until(() -> s.source.status().consecutiveFailures == 1);
      assertThat(s.source.status().lastError).contains("timed out after 3 attempts");
      assertThat(sts.count()).isEqualTo(3);
      Throwable later = s.failure();
      assertThat(later).hasMessageContaining("timed out after 3 attempts");
    }
  }

  private static void assertGapsAtLeast(List<FakeSts.Hit> hits, Duration min) {
    for (int i = 1; i < hits.size(); i++) {
      assertThat(Duration.between(hits.get(i - 1).at, hits.get(i).at)).as("gap before request " + i)
          .isGreaterThanOrEqualTo(min);
    }
  }
}
