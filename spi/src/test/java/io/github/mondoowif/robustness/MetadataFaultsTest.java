package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.spi.TokenSourceException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile or broken metadata endpoint (App Service's identity endpoint, with the production retry table)
 * under the production engine. Each case checks what the application gets, how many requests each fake
 * saw and the waits between them, what the message says, and (through {@link Witness.Extension}) that no
 * secret shows anywhere. Random is fixed at 0.5, so every jittered wait is half its ceiling.
 */
@ExtendWith(Witness.Extension.class)
class MetadataFaultsTest {
  private static final Duration S = Duration.ofSeconds(1);

  @StartStop final MockWebServer metadata = NoDelay.server();
  @StartStop final MockWebServer mondoo = NoDelay.server();
  @StartStop final MockWebServer elsewhere = NoDelay.server();

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

  private static TokenSourceException cause(Throwable t) {
    assertThat(t).isInstanceOf(CredentialUnavailableException.class).hasCauseInstanceOf(TokenSourceException.class);
    return (TokenSourceException) t.getCause();
  }

  /** Every request asked for the right token, with the header secret, and nothing else. */
  private void requestsWereAppServiceTokenRequests() {
    for (RecordedRequest r : azure.requests()) {
      assertThat(r.getMethod()).isEqualTo("GET");
      assertThat(r.getUrl().encodedPath()).isEqualTo(FakeEndpoint.PATH);
      assertThat(r.getUrl().queryParameter("api-version")).isEqualTo("2019-08-01");
      assertThat(r.getUrl().queryParameter("resource")).isEqualTo(Planted.RESOURCE);
      assertThat(r.getHeaders().get("X-IDENTITY-HEADER")).isEqualTo(Planted.IDENTITY_HEADER);
    }
  }

  @Test
  void notFound_retriedFiveTimesWithBackoff_thenEngineBacksOffBeforeAskingAgain() throws Exception {
    azure.answer(FakeEndpoint.status(404, "{\"error\":\"not_found\",\"error_description\":\"Identity not found\"}"));
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.status()).isEqualTo(404);
      assertThat(e.getMessage()).contains("[azure-app-service] GET " + azure.server.url(FakeEndpoint.PATH),
          "HTTP 404 after 5 attempts", "Identity not found");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(s.sleeps.waits()).containsExactly(S.dividedBy(2), S, S.multipliedBy(2), S.multipliedBy(4));
      assertThat(sts.count()).isZero();

      Throwable again = s.failure();
      assertThat(again).isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("the next attempt is in PT0.5S").hasMessageContaining("HTTP 404");
      assertThat(azure.count()).as("no request during the engine's backoff").isEqualTo(5);

      s.runNextTimer();
      assertThat(azure.count()).isEqualTo(10);
      requestsWereAppServiceTokenRequests();
    }
  }

  @Test
  void gone_imdsUpgrading_retriedEveryTenSecondsForSeventySeconds() throws Exception {
    azure.answer(FakeEndpoint.status(410, "{\"error\":\"upgrading\"}"));
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.status()).isEqualTo(410);
      assertThat(e.getMessage()).contains("HTTP 410 after 8 attempts", "upgrading and did not come back within 70 s");
      assertThat(azure.count()).isEqualTo(8);
      assertThat(s.sleeps.waits()).hasSize(7).containsOnly(Duration.ofSeconds(10));
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void gone_thenBack_credentialObtainedWithinTheSameAttempt() throws Exception {
    azure.answer(r -> azure.count() <= 3 ? FakeEndpoint.status(410, "") : FakeEndpoint.azureToken(Planted.AZURE_JWT));
    try (Stack s = stack()) {
      MondooCredential c = s.get();

      assertThat(c.provider()).isEqualTo("azure-app-service");
      assertThat(azure.count()).isEqualTo(4);
      assertThat(s.sleeps.waits()).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
      assertThat(sts.count()).isEqualTo(1);
      assertThat(sts.hits().get(0).jwtToken).isEqualTo(Planted.AZURE_JWT);
    }
  }

  @Test
  void throttled_retryAfterHonoured() throws Exception {
    azure.answer(new MockResponse.Builder().code(429).setHeader("Retry-After", "3").body("{\"error\":\"too many\"}").build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("HTTP 429 after 5 attempts", "throttled by the metadata service");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(s.sleeps.waits()).hasSize(4).containsOnly(Duration.ofSeconds(3));
    }
  }

  @Test
  void throttled_hourLongRetryAfter_cappedAtThirtySeconds() throws Exception {
    azure.answer(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("HTTP 429 after 5 attempts", "empty body");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(s.sleeps.waits()).hasSize(4).containsOnly(Duration.ofSeconds(30));
    }
  }

  @Test
  void throttled_withoutRetryAfter_exponentialBackoff() throws Exception {
    azure.answer(FakeEndpoint.status(429, "{\"error\":\"throttled\"}"));
    try (Stack s = stack()) {
      cause(s.failure());

      assertThat(azure.count()).isEqualTo(5);
      assertThat(s.sleeps.waits()).containsExactly(S.dividedBy(2), S, S.multipliedBy(2), S.multipliedBy(4));
    }
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {500, 503})
  void serverError_retriedFiveTimes_messageNamesStatusAndBody(int status) throws Exception {
    azure.answer(FakeEndpoint.status(status, "{\"error\":{\"code\":\"Internal\",\"message\":\"backend sad\"}}"));
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.status()).isEqualTo(status);
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("HTTP " + status + " after 5 attempts", "Internal: backend sad",
          "it usually recovers on its own");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(sts.count()).isZero();
      requestsWereAppServiceTokenRequests();
    }
  }

  @Test
  void connectionResetMidBody_retriedAsIoFailure_messageSaysSo() throws Exception {
    azure.answer(new MockResponse.Builder().code(200).body(tokenBodyOf(64 * 1024))
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.status()).isZero();
      assertThat(e.getMessage()).contains("GET " + azure.server.url(FakeEndpoint.PATH), "failed after 5 attempts");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(s.sleeps.waits()).hasSize(4);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void neverAnswers_eachAttemptEndsAtTheRequestTimeout() throws Exception {
    azure.answer(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    try (Stack s = Stack.builder(clock, sts).env(Stack.appService(azure))
        .config(c -> c.requestTimeout(Duration.ofMillis(300))).async().waitTimeout(Duration.ofSeconds(10)).build()) {
      long started = System.nanoTime();
      TokenSourceException e = cause(s.failure());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).as("5 attempts of at most 300 ms; the waits between them are fake")
          .isBetween(Duration.ofMillis(1400), Duration.ofMillis(4000));
      assertThat(e.getMessage()).contains("timed out after 5 attempts");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tricklesOneBytePerSecond_eachAttemptEndsAtTheRequestTimeout() throws Exception {
    azure.answer(new MockResponse.Builder().code(200).body(tokenBodyOf(0)).throttleBody(1, 1, TimeUnit.SECONDS).build());
    try (Stack s = Stack.builder(clock, sts).env(Stack.appService(azure))
        .config(c -> c.requestTimeout(Duration.ofMillis(300))).async().waitTimeout(Duration.ofSeconds(10)).build()) {
      long started = System.nanoTime();
      TokenSourceException e = cause(s.failure());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(4000));
      assertThat(e.getMessage()).contains("timed out after 5 attempts");
      assertThat(azure.count()).isEqualTo(5);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void redirectToAnotherHost_neverFollowed_messageNamesTheRedirect() throws Exception {
    azure.answer(new MockResponse.Builder().code(302).setHeader("Location", elsewhere.url("/steal?x=1")).build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.status()).isEqualTo(302);
      assertThat(e.getMessage()).contains("HTTP 302", "redirect", elsewhere.url("/").host() + ":" + elsewhere.getPort())
          .doesNotContain("x=1");
      assertThat(elsewhere.getRequestCount()).isZero();
      assertThat(azure.count()).isEqualTo(1);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tenMebibyteBody_refusedUnreadAndNotRetried() throws Exception {
    azure.answer(new MockResponse.Builder().code(200).body(tokenBodyOf(10 << 20)).build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("response body larger than 1 MiB", "Content-Length");
      assertThat(azure.count()).isEqualTo(1);
      assertThat(s.sleeps.waits()).isEmpty();
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tenMebibyteChunkedBody_readOnlyUpToTheCap() throws Exception {
    azure.answer(new MockResponse.Builder().code(200).chunkedBody(tokenBodyOf(10 << 20), 256 * 1024).build());
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("response body larger than 1 MiB").doesNotContain("Content-Length");
      assertThat(azure.count()).isEqualTo(1);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void accessTokenNotAJwt_refusedWithFingerprintNeverTheValue() throws Exception {
    String opaque = Witness.plant("opaque-" + Planted.hex(40));
    azure.answer(FakeEndpoint.status(200, "{\"access_token\":\"" + opaque + "\",\"expires_on\":\"1893459600\"}"));
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("returned an access_token that is not a JWT (sha256=",
          "Check that the endpoint is an Azure managed-identity endpoint");
      assertThat(azure.count()).isEqualTo(1);
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void expiresOnAnObject_tokenUsedButNeverReused() throws Exception {
    String jwt = Planted.azureJwtWithoutExp();
    azure.answer(FakeEndpoint.status(200, "{\"access_token\":\"" + jwt + "\",\"expires_on\":{\"when\":\"soon\"}}"));
    try (Stack s = stack()) {
      MondooCredential c = s.get();
      assertThat(sts.hits().get(0).jwtToken).isEqualTo(jwt);

      s.scheduler.advanceTo(s.source.status().nextPlannedRefresh.toEpochMilli());

      assertThat(s.get()).isNotSameAs(c);
      assertThat(azure.count()).as("a token of unknown expiry is fetched again for each exchange").isEqualTo(2);
      assertThat(sts.count()).isEqualTo(2);
    }
  }

  @Test
  void expiresOnAnObject_withExpiresIn_fallsBackAndReuses() throws Exception {
    String jwt = Planted.azureJwtWithoutExp();
    azure.answer(FakeEndpoint.status(200, "{\"access_token\":\"" + jwt + "\",\"expires_on\":{},\"expires_in\":\"86399\"}"));
    try (Stack s = stack()) {
      s.get();
      s.scheduler.advanceTo(s.source.status().nextPlannedRefresh.toEpochMilli());
      s.get();

      assertThat(azure.count()).isEqualTo(1);
      assertThat(sts.count()).isEqualTo(2);
    }
  }

  @Test
  void emptyBody_refusedAsNotATokenResponse() throws Exception {
    azure.answer(FakeEndpoint.status(200, ""));
    try (Stack s = stack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("answered 200 with a body that is not a token response", "empty body");
      assertThat(azure.count()).isEqualTo(1);
      assertThat(sts.count()).isZero();

      azure.answer(FakeEndpoint.azureToken(Planted.AZURE_JWT));
      s.runNextTimer();
      assertThat(s.get().provider()).isEqualTo("azure-app-service");
      assertThat(azure.count()).isEqualTo(2);
    }
  }

  @Test
  void outageOfTenMinutes_requestsBoundedByBackoff() throws Exception {
    azure.answer(FakeEndpoint.status(503, ""));
    try (Stack s = stack()) {
      cause(s.failure());
      long end = Planted.T0.plus(Duration.ofMinutes(10)).toEpochMilli();
      while (clock.millis() < end) {
        s.scheduler.advance(Duration.ofSeconds(1));
        s.failure();
      }

      List<java.time.Instant> times = azure.times();
      // Each engine attempt is 5 requests ~7.5 s apart in all; attempts follow the engine's backoff, capped
      // at 30 s (15 s with random 0.5) without a credential: about 600 / (15 + 7.5) attempts.
      assertThat(azure.count()).isBetween(100, 5 * 30);
      assertThat(s.source.status().consecutiveFailures).isBetween(20, 30);
      assertThat(times.get(times.size() - 1)).isBefore(Planted.T0.plus(Duration.ofMinutes(11)));
    }
  }

  /** An App Service token response padded to at least {@code size} bytes. */
  private static String tokenBodyOf(int size) {
    StringBuilder pad = new StringBuilder();
    while (pad.length() < size) {
      pad.append("abcdefghij");
    }
    return "{\"access_token\":\"" + Planted.AZURE_JWT + "\",\"padding\":\"" + pad + "\",\"expires_in\":\"86399\"}";
  }
}
