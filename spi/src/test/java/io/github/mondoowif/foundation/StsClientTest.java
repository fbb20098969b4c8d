package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.foundation.Recording.RecordingSleeper;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.SubjectToken;
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
import org.junit.jupiter.params.provider.ValueSource;

class StsClientTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final String RESOURCE = "api://mondoo-wif";
  static final String SUBJECT = "11111111-2222-3333-4444-555555555555";
  static String jwt;
  static SubjectToken token;
  static String credential;

  @StartStop final MockWebServer sts = new MockWebServer();
  final RecordingSleeper sleeper = new RecordingSleeper();
  final StsClient client = client(Duration.ofSeconds(5), 3);

  @BeforeAll
  static void material() {
    jwt = FakeMondoo.azureToken(RESOURCE, NOW.plusSeconds(3600));
    token = SubjectToken.of(jwt, NOW.plusSeconds(3600));
    credential = FakeMondoo.base64Credential(NOW.plusSeconds(3600));
  }

  private StsClient client(Duration timeout, int attempts) {
    return new StsClient(HttpClients.sts(timeout), sleeper, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.5, attempts,
        Duration.ofMillis(500), Duration.ofSeconds(4));
  }

  private String universe() {
    return sts.url("/").toString();
  }

  private ExchangeException exchangeFailure(StsClient c) {
    return catchThrowableOfType(ExchangeException.class,
        () -> c.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void exchange_success_postsSnakeCaseJsonAndReturnsTheCredentialVerbatim() throws Exception {
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    String result = client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token);

    assertThat(result).isEqualTo(credential);
    RecordedRequest r = sts.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/SecureTokenService/ExchangeExternalToken");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getBody().utf8()).isEqualTo("{\"audience\":\"" + FakeMondoo.SPACE + "\",\"issuer_uri\":\""
        + FakeMondoo.ISSUER + "\",\"jwt_token\":\"" + jwt + "\"}");
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void endpoint_trailingSlashes_neverProduceADoubleSlash() {
    assertThat(StsClient.endpoint("https://eu.api.mondoo.com//"))
        .isEqualTo("https://eu.api.mondoo.com/SecureTokenService/ExchangeExternalToken");
    assertThat(StsClient.endpoint("https://eu.api.mondoo.com"))
        .isEqualTo("https://eu.api.mondoo.com/SecureTokenService/ExchangeExternalToken");
  }

  @Test
  void exchange_401JsonError_carriesStatusCodeMessageWhatWasSentAndTheTokenClaims() throws Exception {
    sts.enqueue(json(401, "{\"code\":16,\"message\":\"token subject not allowed by the binding\"}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.code()).isEqualTo(16);
    assertThat(e.serverMessage()).isEqualTo("token subject not allowed by the binding");
    assertThat(e.endpoint()).isEqualTo(sts.url("/SecureTokenService/ExchangeExternalToken").toString());
    assertThat(e.audience()).isEqualTo(FakeMondoo.SPACE);
    assertThat(e.issuer()).isEqualTo(FakeMondoo.ISSUER);
    assertThat(e.tokenIssuer()).isEqualTo(FakeMondoo.ISSUER);
    assertThat(e.tokenAudience()).isEqualTo(RESOURCE);
    assertThat(e.tokenSubject()).isEqualTo(SUBJECT);
    assertThat(e.tokenExpiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .contains("HTTP 401", "code 16", "token subject not allowed by the binding", "audience=" + FakeMondoo.SPACE,
            "issuer_uri=" + FakeMondoo.ISSUER, "sub=" + SUBJECT, "sha256=" + token.fingerprint(),
            "Identity Providers")
        .doesNotContain(jwt);
    assertThat(sts.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404})
  void exchange_bindingMismatchStatus_isNeverRetried(int status) {
    sts.enqueue(json(status, "{\"code\":7,\"message\":\"denied\"}"));
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.status()).isEqualTo(status);
    assertThat(e.retryable()).isFalse();
    assertThat(sts.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void exchange_htmlBadGateway_keepsABoundedSingleLineExcerptAfterRetrying() {
    String html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + "nginx ".repeat(2000)
        + "</body></html>";
    for (int i = 0; i < 3; i++) {
      sts.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html").body(html).build());
    }

    ExchangeException e = exchangeFailure(client);

    assertThat(sts.getRequestCount()).isEqualTo(3);
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.code()).isNull();
    assertThat(e.serverMessage()).startsWith("<html> <head><title>502 Bad Gateway</title>").hasSizeLessThanOrEqualTo(201)
        .doesNotContain("\n");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 502", "body: \"<html>", "after 3 attempts");
  }

  @Test
  void exchange_jsonErrorThatIsNotARpcStatus_keepsAnExcerptOfTheBody() {
    sts.enqueue(json(403, "{\"error\":\"blocked by the corporate gateway\",\"id\":\"req-77\"}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.code()).isNull();
    assertThat(e.serverMessage()).isEqualTo("{\"error\":\"blocked by the corporate gateway\",\"id\":\"req-77\"}");
    assertThat(e.getMessage()).contains("HTTP 403, body: \"{\"error\":\"blocked by the corporate gateway\"");
  }

  @Test
  void exchange_rpcStatusWithCodeOnly_keepsTheCodeAndTheBody() {
    sts.enqueue(json(401, "{\"code\":16}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.code()).isEqualTo(16);
    assertThat(e.getMessage()).contains("HTTP 401, code 16, body: \"{\"code\":16}\"");
  }

  @Test
  void exchange_emptyErrorBody_saysNothingMoreThanTheStatus() {
    sts.enqueue(new MockResponse.Builder().code(404).build());

    ExchangeException e = exchangeFailure(client);

    assertThat(e.serverMessage()).isNull();
    assertThat(e.getMessage()).contains("HTTP 404. Sent audience=", "no such endpoint or space");
  }

  @Test
  void exchange_503ThenSuccess_retriesWithJitteredBackoff() throws Exception {
    sts.enqueue(json(503, "{\"code\":14,\"message\":\"unavailable\"}"));
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    String result = client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token);

    assertThat(result).isEqualTo(credential);
    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(250));
    assertThat(sts.takeRequest().getBody().utf8()).isEqualTo(sts.takeRequest().getBody().utf8());
  }

  @Test
  void exchange_5xxPersisting_backsOffExponentiallyThenFailsRetryable() {
    sts.enqueue(json(500, "{\"code\":13,\"message\":\"internal\"}"));
    sts.enqueue(json(504, "{\"code\":4,\"message\":\"deadline\"}"));
    sts.enqueue(json(503, "{\"code\":14,\"message\":\"unavailable\"}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.code()).isEqualTo(14);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void exchange_429WithRetryAfter_waitsWhatTheServerAsked() throws Exception {
    sts.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
        .body("{\"code\":8,\"message\":\"slow down\"}").build());
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token);

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void exchange_retryAfterBeyond30Seconds_waitsOnly30Seconds() throws Exception {
    sts.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "600").build());
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token);

    assertThat(sleeper.sleeps).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void exchange_interruptedWhileWaitingToRetry_stopsAndKeepsTheInterrupt() {
    StsClient interrupted = new StsClient(HttpClients.sts(Duration.ofSeconds(5)), d -> {
      throw new InterruptedException();
    }, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.5, 3, Duration.ofMillis(500), Duration.ofSeconds(4));
    sts.enqueue(json(503, "{}"));
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    ExchangeException e = exchangeFailure(interrupted);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(e.getMessage()).contains("interrupted");
    assertThat(e.retryable()).isTrue();
    assertThat(sts.getRequestCount()).isEqualTo(1);
  }

  @Test
  void exchange_501_isNeitherRetriedNorReportedRetryable() {
    sts.enqueue(json(501, "{\"code\":12,\"message\":\"unimplemented\"}"));
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    ExchangeException e = exchangeFailure(client);

    assertThat(sts.getRequestCount()).isEqualTo(1);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).doesNotContain("will be retried");
  }

  @Test
  void exchange_stallBeyondTheReadTimeout_timesOutRetriesAndFailsRetryable() {
    StsClient fast = client(Duration.ofMillis(300), 2);
    sts.enqueue(new MockResponse.Builder().body("{}").headersDelay(5, TimeUnit.SECONDS).build());
    sts.enqueue(new MockResponse.Builder().body("{}").headersDelay(5, TimeUnit.SECONDS).build());

    long start = System.nanoTime();
    ExchangeException e = exchangeFailure(fast);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out after 2 attempts", "mondoo.wif.universe-domain");
    assertThat(sleeper.sleeps).hasSize(1);
  }

  @Test
  void exchange_connectionDropped_isRetriedAsAnIoError() throws Exception {
    sts.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    sts.enqueue(json(200, FakeMondoo.stsResponse(credential)));

    String result = client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, token);

    assertThat(result).isEqualTo(credential);
    assertThat(sleeper.sleeps).hasSize(1);
  }

  @Test
  void exchange_nothingListening_failsRetryableSayingItCouldNotBeReached() throws Exception {
    MockWebServer closed = new MockWebServer();
    closed.start();
    String url = closed.url("/").toString();
    closed.close();

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(url, FakeMondoo.SPACE, FakeMondoo.ISSUER, token));

    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("could not be reached after 3 attempts", "ConnectException");
    assertThat(sleeper.sleeps).hasSize(2);
  }

  @Test
  void exchange_200MalformedJson_failsSayingSo() {
    sts.enqueue(json(200, "{\"base64_credential\": \"abc"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).contains("not the expected JSON");
    assertThat(sts.getRequestCount()).isEqualTo(1);
  }

  @Test
  void exchange_200WithoutBase64Credential_listsTheFieldsPresent() {
    sts.enqueue(json(200, "{\"credential\":\"x\",\"typename\":\"Response\"}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.getMessage()).contains("without a base64_credential", "[credential, typename]");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void exchange_200Base64CredentialNotAString_failsWithoutQuotingTheBody() {
    sts.enqueue(json(200, "{\"base64_credential\":{\"nested\":true}}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).contains("base64_credential");
  }

  @Test
  void exchange_bodyOverOneMebibyte_isRefusedUnread() {
    sts.enqueue(json(200, "{\"base64_credential\":\"" + "A".repeat(1 << 20) + "\"}"));

    ExchangeException e = exchangeFailure(client);

    assertThat(e.getMessage()).contains("larger than 1 MiB");
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.retryable()).isFalse();
    assertThat(sts.getRequestCount()).isEqualTo(1);
  }

  @Test
  void exchange_chunkedBodyOverOneMebibyte_isRefusedOnceTheCapIsPassed() {
    sts.enqueue(new MockResponse.Builder().code(200).chunkedBody("B".repeat((1 << 20) + 10), 64 * 1024).build());

    ExchangeException e = exchangeFailure(client);

    assertThat(e.getMessage()).contains("larger than 1 MiB");
  }

  @Test
  void exchange_configuredIssuerWithoutTrailingSlash_hintNamesTheSlash() {
    sts.enqueue(json(401, "{\"code\":16,\"message\":\"unauthenticated\"}"));
    String withoutSlash = FakeMondoo.ISSUER.substring(0, FakeMondoo.ISSUER.length() - 1);

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(universe(), FakeMondoo.SPACE, withoutSlash, token));

    assertThat(e.getMessage()).contains("Likely cause", "trailing slash", "`" + FakeMondoo.ISSUER + "`");
  }

  @Test
  void exchange_expiredSubjectToken_hintNamesTheExpiry() {
    String expired = FakeMondoo.azureToken(RESOURCE, NOW.minusSeconds(60));
    sts.enqueue(json(401, "{\"code\":16,\"message\":\"token expired\"}"));

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, SubjectToken.of(expired, null)));

    assertThat(e.getMessage()).contains("expired at " + NOW.minusSeconds(60), "clock");
  }

  @Test
  void exchange_errorBodyEchoingTheToken_neverRepeatsIt() {
    sts.enqueue(json(400, "{\"code\":3,\"message\":\"cannot verify jwt_token " + jwt + "\"}"));
    sts.enqueue(json(400, "<html><pre>jwt_token=" + jwt + "</pre></html>"));

    ExchangeException jsonError = exchangeFailure(client);
    ExchangeException htmlError = exchangeFailure(client);

    for (ExchangeException e : new ExchangeException[] {jsonError, htmlError}) {
      assertThat(e.getMessage()).doesNotContain(jwt).contains("<redacted sha256=" + token.fingerprint() + ">");
      assertThat(e.serverMessage()).doesNotContain(jwt);
      assertThat(e.toString()).doesNotContain(jwt);
    }
  }

  @Test
  void exchange_opaqueNonJwtToken_stillSentAndFailureHasNoClaims() {
    sts.enqueue(json(403, "{\"code\":7,\"message\":\"permission denied\"}"));

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, SubjectToken.of("opaque", null)));

    assertThat(e.tokenIssuer()).isNull();
    assertThat(e.tokenSubject()).isNull();
    assertThat(e.getMessage()).doesNotContain("opaque");
  }

  @Test
  void exchange_jwtWithArrayAudience_reportsEveryAudience() {
    String multi = FakeMondoo.jwt(Map.of("iss", FakeMondoo.ISSUER, "sub", "s", "exp", NOW.plusSeconds(60).getEpochSecond()));
    sts.enqueue(json(403, "{\"code\":7,\"message\":\"permission denied\"}"));

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(universe(), FakeMondoo.SPACE, FakeMondoo.ISSUER, SubjectToken.of(multi, null)));

    assertThat(e.tokenAudience()).isNull();
    assertThat(e.tokenSubject()).isEqualTo("s");
    assertThat(e.tokenExpiresAt()).isEqualTo(NOW.plusSeconds(60));
  }
}
