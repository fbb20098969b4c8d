package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.azure.AppService2017Provider;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class AppService2017ProviderTest {
  static final String SECRET = "msi-secret-value-2017";
  /** Without exp, so the date-string expires_on decides. */
  static final String TOKEN = FakeMondoo.jwt(Map.of("iss", FakeMondoo.ISSUER, "aud", ProviderTesting.RESOURCE));

  @StartStop final MockWebServer server = new MockWebServer();
  final AppService2017Provider provider = new AppService2017Provider();

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("MSI_ENDPOINT", server.url("/MSI/token/").toString());
    env.put("MSI_SECRET", SECRET);
    return env;
  }

  static MockResponse ok(String expiresOn) {
    return new MockResponse.Builder().code(200).body("{\"access_token\":\"" + TOKEN + "\",\"expires_on\":\""
        + expiresOn + "\",\"resource\":\"" + ProviderTesting.RESOURCE + "\",\"token_type\":\"Bearer\"}").build();
  }

  @Test
  void applicability_endpointAndSecret_applies() {
    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_endpointAlone_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of("MSI_ENDPOINT", "http://localhost:50342/oauth2/token")))
        .applicable()).isFalse();
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void applicability_newerEndpointAlsoOffered_leavesItToAppService() {
    Map<String, String> env = env();
    env.put("IDENTITY_ENDPOINT", "http://127.0.0.1:9/msi/token");
    env.put("IDENTITY_HEADER", "h");
    assertThat(provider.applicability(runtime(env)).applicable()).isFalse();
    assertThat(provider.applicability(runtime(env)).reason()).contains("azure-app-service");
  }

  @Test
  void fetchToken_sendsApiVersion2017SecretHeaderAndClientId() throws Exception {
    server.enqueue(ok("06/19/2019 23:42:01 +00:00"));

    SubjectToken token = provider.fetchToken(
        runtime(ProviderTesting.config(b -> b.setting("azure.client-id", "cid-2017")), env()));

    assertThat(token.value()).isEqualTo(TOKEN);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/MSI/token/");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2017-09-01");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo(ProviderTesting.RESOURCE);
    assertThat(request.getUrl().queryParameter("clientid")).isEqualTo("cid-2017");
    assertThat(request.getUrl().queryParameter("client_id")).isNull();
    assertThat(request.getHeaders().get("secret")).isEqualTo(SECRET);
  }

  @Test
  void fetchToken_twentyFourHourDateString_parsesExpiry() throws Exception {
    server.enqueue(ok("06/19/2019 23:42:01 +00:00"));
    assertThat(provider.fetchToken(runtime(env())).expiresAt()).contains(Instant.parse("2019-06-19T23:42:01Z"));
  }

  @Test
  void fetchToken_amPmDateStringWithOffset_parsesExpiry() throws Exception {
    server.enqueue(ok("1/16/2020 5:24:12 PM +02:00"));
    assertThat(provider.fetchToken(runtime(env())).expiresAt()).contains(Instant.parse("2020-01-16T15:24:12Z"));
  }

  @Test
  void fetchToken_objectIdConfigured_refusedBecauseTheEndpointOnlyTakesClientId() {
    var config = ProviderTesting.config(b -> b.setting("azure.object-id", "oid"));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("only by client id")
        .hasMessageContaining("mondoo.wif.azure.object-id");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_401_doesNotRetryAndHidesTheSecret() {
    server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"unauthorized\",\"error_description\":\"bad secret\"}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("HTTP 401", "bad secret").doesNotContain(SECRET);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_500ThreeTimes_givesUpAfterThreeAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("HTTP 500 after 3 attempts");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }
}
