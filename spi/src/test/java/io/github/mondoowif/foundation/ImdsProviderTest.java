package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.foundation.Recording.RecordingSleeper;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.ImdsProvider;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImdsProviderTest {
  static final String RESOURCE = "api://mondoo-wif";
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final Instant TOKEN_EXP = NOW.plus(Duration.ofHours(24));
  /** Four attempts, backoff 1 s doubling up to 8 s, Retry-After capped at 30 s, 410 every 10 s for 70 s. */
  static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(70));
  static String token;

  @StartStop final MockWebServer imds = new MockWebServer();
  final RecordingSleeper sleeper = new RecordingSleeper();
  final ImdsProvider provider = new ImdsProvider();

  @BeforeAll
  static void token() {
    token = FakeMondoo.azureToken(RESOURCE, TOKEN_EXP);
  }

  private ProviderRuntime runtime(MondooWifConfig config, RetryPolicy policy, Clock clock) {
    return ProviderRuntime.builder(config)
        .env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.url("/").toString()))
        .clock(clock)
        .sleeper(sleeper)
        .retryPolicy(policy)
        .random(() -> 0.5)
        .build();
  }

  private ProviderRuntime runtime(MondooWifConfig config) {
    return runtime(config, POLICY, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static MondooWifConfig.Builder config() {
    return MondooWifConfig.builder().audience(FakeMondoo.SPACE).azureResource(RESOURCE);
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).body(FakeMondoo.imdsResponse(token, RESOURCE, TOKEN_EXP)).build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("{\"error\":\"busy\",\"error_description\":\"try later\"}")
        .build();
  }

  @Test
  void fetchToken_systemIdentity_sendsGetWithApiVersionResourceAndMetadataHeader() throws Exception {
    imds.enqueue(ok());

    SubjectToken t = provider.fetchToken(runtime(config().build()));

    assertThat(t.value()).isEqualTo(token);
    assertThat(t.expiresAt()).contains(TOKEN_EXP);
    RecordedRequest r = imds.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(r.getUrl().queryParameterNames()).containsExactlyInAnyOrder("api-version", "resource");
    assertThat(r.getUrl().queryParameter("api-version")).isEqualTo("2018-02-01");
    assertThat(r.getUrl().queryParameter("resource")).isEqualTo(RESOURCE);
    assertThat(r.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(sleeper.sleeps).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "azure.client-id, client_id, 6b3e5a3c-0000-4000-8000-000000000001",
    "azure.object-id, object_id, 9f1d2c3b-0000-4000-8000-000000000002",
    "azure.msi-res-id, msi_res_id, /subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi"
  })
  void fetchToken_userAssignedSelector_addsExactlyThatQueryParameter(String key, String param, String value)
      throws Exception {
    imds.enqueue(ok());

    provider.fetchToken(runtime(config().setting(key, value).build()));

    RecordedRequest r = imds.takeRequest();
    assertThat(r.getUrl().queryParameterNames()).containsExactlyInAnyOrder("api-version", "resource", param);
    assertThat(r.getUrl().queryParameter(param)).isEqualTo(value);
  }

  @Test
  void fetchToken_twoSelectors_failsWithoutSendingARequest() throws Exception {
    MondooWifConfig c = config().azureClientId("cid").azureObjectId("oid").build();

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class, () -> provider.fetchToken(runtime(c)));

    assertThat(e.getMessage()).contains("mondoo.wif.azure.client-id", "mondoo.wif.azure.object-id");
    assertThat(e.source()).isEqualTo("azure-imds");
    assertThat(imds.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_404Then429Then500ThenSuccess_retriesWithExponentialBackoff() throws Exception {
    imds.enqueue(status(404));
    imds.enqueue(status(429));
    imds.enqueue(status(500));
    imds.enqueue(ok());

    SubjectToken t = provider.fetchToken(runtime(config().build()));

    assertThat(t.value()).isEqualTo(token);
    assertThat(imds.getRequestCount()).isEqualTo(4);
    // Full jitter with random 0.5: half of 1 s, 2 s, 4 s.
    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void fetchToken_429WithRetryAfter_waitsWhatTheServerAsked() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
    imds.enqueue(ok());

    provider.fetchToken(runtime(config().build()));

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void fetchToken_retryAfterAboveCap_waitsOnlyTheCap() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "3600").build());
    imds.enqueue(ok());

    provider.fetchToken(runtime(config().build()));

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void fetchToken_500Persisting_givesUpAfterMaxAttemptsAsRetryable() throws Exception {
    for (int i = 0; i < 4; i++) {
      imds.enqueue(status(500));
    }

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(config().build())));

    assertThat(imds.getRequestCount()).isEqualTo(4);
    assertThat(sleeper.sleeps).hasSize(3);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("[azure-imds]", "HTTP 500", "after 4 attempts", "busy: try later");
  }

  @Test
  void fetchToken_interruptedWhileWaitingToRetry_stopsAndKeepsTheInterrupt() throws Exception {
    imds.enqueue(status(500));
    imds.enqueue(ok());
    ProviderRuntime rt = ProviderRuntime.builder(config().build())
        .env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.url("/").toString()))
        .sleeper(d -> {
          throw new InterruptedException();
        })
        .retryPolicy(POLICY)
        .build();

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class, () -> provider.fetchToken(rt));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(e.getMessage()).contains("interrupted");
    assertThat(imds.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_410ThenSuccess_retriesEvery10Seconds() throws Exception {
    imds.enqueue(status(410));
    imds.enqueue(status(410));
    imds.enqueue(ok());

    SubjectToken t = provider.fetchToken(runtime(config().build(), RetryPolicy.METADATA, Clock.fixed(NOW, ZoneOffset.UTC)));

    assertThat(t.value()).isEqualTo(token);
    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  @Test
  void fetchToken_410For70Seconds_givesUpAsRetryable() throws Exception {
    for (int i = 0; i < 9; i++) {
      imds.enqueue(status(410));
    }

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(config().build(), RetryPolicy.METADATA, Clock.fixed(NOW, ZoneOffset.UTC))));

    assertThat(sleeper.total()).isEqualTo(Duration.ofSeconds(70));
    assertThat(sleeper.sleeps).allMatch(d -> d.equals(Duration.ofSeconds(10)));
    assertThat(imds.getRequestCount()).isEqualTo(8);
    assertThat(e.status()).isEqualTo(410);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 410", "upgrading", "70 s");
  }

  @Test
  void fetchToken_400NoIdentity_failsAtOnceNamingTheIdentityAskedFor() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}").build());

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(config().azureClientId("6b3e5a3c-cid").build())));

    assertThat(imds.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps).isEmpty();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("HTTP 400", "invalid_request: Identity not found", "client id 6b3e5a3c-cid", RESOURCE);
  }

  @Test
  void fetchToken_302_isNotFollowed() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(302).addHeader("Location", imds.url("/elsewhere")).build());
    imds.enqueue(ok());

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(config().build())));

    assertThat(imds.getRequestCount()).isEqualTo(1);
    assertThat(e.status()).isEqualTo(302);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void fetchToken_connectionDroppedThenSuccess_retriesTheIoError() throws Exception {
    imds.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    imds.enqueue(ok());

    SubjectToken t = provider.fetchToken(runtime(config().build()));

    assertThat(t.value()).isEqualTo(token);
    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void fetchToken_stallBeyondRequestTimeout_timesOutAfterBoundedAttempts() throws Exception {
    RetryPolicy twice = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30),
        Duration.ofSeconds(10), Duration.ofSeconds(70));
    MondooWifConfig c = config().requestTimeout(Duration.ofMillis(300)).build();
    imds.enqueue(new MockResponse.Builder().body("{}").headersDelay(5, TimeUnit.SECONDS).build());
    imds.enqueue(new MockResponse.Builder().body("{}").headersDelay(5, TimeUnit.SECONDS).build());

    long start = System.nanoTime();
    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(c, twice, Clock.fixed(NOW, ZoneOffset.UTC))));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out after 2 attempts");
    assertThat(sleeper.sleeps).hasSize(1);
  }

  @Test
  void fetchToken_bodyOverOneMebibyte_refusedWithoutRetry() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(200).body("x".repeat((1 << 20) + 1)).build());

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(config().build())));

    assertThat(imds.getRequestCount()).isEqualTo(1);
    assertThat(e.getMessage()).contains("larger than 1 MiB");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void fetchToken_expiresOnOnly_usesItWhenTheJwtHasNoExp() throws Exception {
    String noExp = FakeMondoo.jwt(Map.of("iss", FakeMondoo.ISSUER, "aud", RESOURCE, "sub", "oid"));
    Instant expiresOn = NOW.plusSeconds(3600);
    imds.enqueue(new MockResponse.Builder().code(200)
        .body(FakeMondoo.imdsResponse(noExp, RESOURCE, expiresOn)).build());

    SubjectToken t = provider.fetchToken(runtime(config().build()));

    assertThat(t.expiresAt()).contains(expiresOn);
  }

  @Test
  void applicability_probeAnswered_isApplicableWithoutTheMetadataHeader() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"bad_request\"}").build());

    Applicability a = provider.applicability(runtime(config().build()));

    assertThat(a.applicable()).isTrue();
    assertThat(a.reason()).contains("HTTP 400");
    RecordedRequest r = imds.takeRequest();
    assertThat(r.getHeaders().get("Metadata")).isNull();
    assertThat(r.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
  }

  @Test
  void applicability_dockerDesktopUnreachableNetwork_isNotApplicable() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(403)
        .body("A socket operation was attempted to an unreachable network.").build());

    Applicability a = provider.applicability(runtime(config().build()));

    assertThat(a.applicable()).isFalse();
    assertThat(a.reason()).contains("unreachable network");
  }

  @Test
  void applicability_nothingListening_isNotApplicableQuickly() throws Exception {
    MockWebServer closed = new MockWebServer();
    closed.start();
    String url = closed.url("/").toString();
    closed.close();
    ProviderRuntime rt = ProviderRuntime.builder(config().build())
        .env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", url)).sleeper(sleeper).build();

    long start = System.nanoTime();
    Applicability a = provider.applicability(rt);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(a.applicable()).isFalse();
    assertThat(a.reason()).startsWith("no IMDS at ");
  }

  @Test
  void applicability_within30Seconds_remembersTheProbe() throws Exception {
    imds.enqueue(new MockResponse.Builder().code(400).build());
    imds.enqueue(new MockResponse.Builder().code(400).build());
    MondooWifConfig c = config().build();

    provider.applicability(runtime(c, POLICY, Clock.fixed(NOW, ZoneOffset.UTC)));
    provider.applicability(runtime(c, POLICY, Clock.fixed(NOW.plusSeconds(29), ZoneOffset.UTC)));
    assertThat(imds.getRequestCount()).isEqualTo(1);

    provider.applicability(runtime(c, POLICY, Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC)));
    assertThat(imds.getRequestCount()).isEqualTo(2);
  }
}
