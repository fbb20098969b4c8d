package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.foundation.Recording.RecordingSleeper;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class CloudShellProviderTest {
  static final String RESOURCE = "api://mondoo-wif";
  static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(70));

  @StartStop final MockWebServer shell = new MockWebServer();
  final RecordingSleeper sleeper = new RecordingSleeper();
  final CloudShellProvider provider = new CloudShellProvider();

  private ProviderRuntime runtime(Map<String, String> env) throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience(FakeMondoo.SPACE).azureResource(RESOURCE).build();
    return ProviderRuntime.builder(config).env(env).sleeper(sleeper).retryPolicy(POLICY).random(() -> 0.5).build();
  }

  private Map<String, String> shellEnv() {
    return Map.of("MSI_ENDPOINT", shell.url("/oauth2/token").toString());
  }

  @Test
  void applicability_msiEndpointAlone_isApplicable() throws Exception {
    Applicability a = provider.applicability(runtime(shellEnv()));

    assertThat(a.applicable()).isTrue();
    assertThat(shell.getRequestCount()).isZero();
  }

  @Test
  void applicability_noMsiEndpoint_isNotApplicableSayingWhy() throws Exception {
    Applicability a = provider.applicability(runtime(Map.of()));

    assertThat(a.applicable()).isFalse();
    assertThat(a.reason()).isEqualTo("MSI_ENDPOINT is not set");
  }

  @Test
  void applicability_blankMsiEndpoint_countsAsUnset() throws Exception {
    Applicability a = provider.applicability(runtime(Map.of("MSI_ENDPOINT", "  ")));

    assertThat(a.applicable()).isFalse();
  }

  @Test
  void applicability_msiSecretToo_isAppServiceNotCloudShell() throws Exception {
    Applicability a = provider.applicability(runtime(Map.of("MSI_ENDPOINT", "http://127.0.0.1:1/x", "MSI_SECRET", "s")));

    assertThat(a.applicable()).isFalse();
    assertThat(a.reason()).contains("MSI_SECRET");
  }

  @Test
  void fetchToken_500ThenSuccess_retriesAndSendsTheSameForm() throws Exception {
    Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3600);
    String token = FakeMondoo.azureToken(RESOURCE, exp);
    shell.enqueue(new MockResponse.Builder().code(500).body("{\"error\":\"temporarily_unavailable\"}").build());
    shell.enqueue(new MockResponse.Builder().code(200).body(FakeMondoo.imdsResponse(token, RESOURCE, exp)).build());

    SubjectToken t = provider.fetchToken(runtime(shellEnv()));

    assertThat(t.value()).isEqualTo(token);
    assertThat(t.expiresAt()).contains(exp);
    assertThat(sleeper.sleeps).containsExactly(Duration.ofMillis(500));
    for (int i = 0; i < 2; i++) {
      RecordedRequest r = shell.takeRequest();
      assertThat(r.getMethod()).isEqualTo("POST");
      assertThat(r.getHeaders().get("Metadata")).isEqualTo("true");
      assertThat(r.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
      assertThat(r.getBody().utf8()).isEqualTo("resource=api%3A%2F%2Fmondoo-wif");
    }
  }

  @Test
  void fetchToken_307_isNotFollowed() throws Exception {
    shell.enqueue(new MockResponse.Builder().code(307).addHeader("Location", shell.url("/other")).build());

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(shellEnv())));

    assertThat(shell.getRequestCount()).isEqualTo(1);
    assertThat(e.status()).isEqualTo(307);
    assertThat(e.getMessage()).contains("[azure-cloud-shell]", "POST " + shell.url("/oauth2/token"), "HTTP 307");
  }

  @Test
  void fetchToken_accessTokenNotAJwt_failsWithFingerprintOnly() throws Exception {
    shell.enqueue(new MockResponse.Builder().code(200)
        .body("{\"access_token\":\"opaque-secret-value\",\"expires_on\":\"1796043024\"}").build());

    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> provider.fetchToken(runtime(shellEnv())));

    assertThat(e.getMessage()).contains("not a JWT", "sha256=").doesNotContain("opaque-secret-value");
    assertThat(e.retryable()).isFalse();
  }
}
