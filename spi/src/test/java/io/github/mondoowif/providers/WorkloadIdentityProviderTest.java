package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.form;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.azure.WorkloadIdentityProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadIdentityProviderTest {
  static final String TENANT = "00000000-1111-2222-3333-444444444444";
  static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

  @StartStop final MockWebServer entra = new MockWebServer();
  @TempDir Path dir;

  final WorkloadIdentityProvider provider = new WorkloadIdentityProvider();
  Path tokenFile;
  String assertion;

  @BeforeEach
  void writeProjectedToken() throws Exception {
    tokenFile = dir.resolve("azure-identity-token");
    assertion = projected("first");
    Files.writeString(tokenFile, assertion + "\n");
  }

  static String projected(String jti) {
    return io.github.mondoowif.testing.FakeMondoo.jwt(Map.<String, Object>of(
        "iss", "https://oidc.prod-aks.azure.com/x/", "sub", "system:serviceaccount:default:app",
        "aud", "api://AzureADTokenExchange", "jti", jti, "exp", NOW.plusSeconds(3600).getEpochSecond()));
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    env.put("AZURE_TENANT_ID", TENANT);
    env.put("AZURE_CLIENT_ID", CLIENT);
    env.put("AZURE_AUTHORITY_HOST", entra.url("/").toString());
    return env;
  }

  static String entraSuccess(String token) {
    return "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"" + token + "\"}";
  }

  @Test
  void applicability_fileAndTenant_applies() {
    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_fileWithoutTenant_doesNotApply() {
    Map<String, String> env = env();
    env.remove("AZURE_TENANT_ID");
    assertThat(provider.applicability(runtime(env)).applicable()).isFalse();
    assertThat(provider.applicability(runtime(env)).reason()).contains("AZURE_TENANT_ID");
  }

  @Test
  void applicability_emptyEnvironment_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_sendsClientCredentialsGrantWithTheFileAsAssertion() throws Exception {
    String token = ProviderTesting.azureToken();
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(token)).build());

    SubjectToken subject = provider.fetchToken(runtime(env()));

    assertThat(subject.value()).isEqualTo(token);
    assertThat(subject.expiresAt()).contains(NOW.plusSeconds(86400));
    RecordedRequest request = entra.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
    assertThat(request.getUrl().query()).isNull();
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(form(request.getBody().utf8())).containsExactly(
        Map.entry("grant_type", "client_credentials"),
        Map.entry("client_id", CLIENT),
        Map.entry("client_assertion", assertion),
        Map.entry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        Map.entry("scope", "api://mondoo-wif/.default"));
  }

  @Test
  void fetchToken_authorityWithTrailingSlashes_joinsWithoutDoubleSlash() throws Exception {
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(ProviderTesting.azureToken())).build());
    Map<String, String> env = env();
    env.put("AZURE_AUTHORITY_HOST", entra.url("/").toString() + "//");

    provider.fetchToken(runtime(env));

    assertThat(entra.takeRequest().getUrl().encodedPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
  }

  @Test
  void fetchToken_resourceWithTrailingSlash_asksForDoubleSlashDefaultScope() throws Exception {
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(ProviderTesting.azureToken())).build());

    provider.fetchToken(runtime(ProviderTesting.config(b -> b.setting("azure.resource", "https://management.azure.com/")
        .setting("azure.client-id", "from-config")), env()));

    Map<String, String> form = form(entra.takeRequest().getBody().utf8());
    assertThat(form.get("scope")).isEqualTo("https://management.azure.com//.default");
    assertThat(form.get("client_id")).isEqualTo("from-config");
  }

  @Test
  void fetchToken_fileRotatedBetweenExchanges_sendsTheNewContent() throws Exception {
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(ProviderTesting.azureToken())).build());
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(ProviderTesting.azureToken())).build());
    ProviderRuntime rt = runtime(env());

    provider.fetchToken(rt);
    String rotated = projected("second");
    Files.writeString(tokenFile, rotated);
    provider.fetchToken(rt);

    assertThat(form(entra.takeRequest().getBody().utf8()).get("client_assertion")).isEqualTo(assertion);
    assertThat(form(entra.takeRequest().getBody().utf8()).get("client_assertion")).isEqualTo(rotated);
  }

  @Test
  void fetchToken_aadsts70021_explainsTheFederatedCredentialWithoutTheAssertion() {
    entra.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"invalid_request\",\"error_description\":"
        + "\"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: "
        + "'https://oidc.prod-aks.azure.com/x/'.\",\"error_codes\":[70021],\"trace_id\":\"t\"}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage())
              .contains("AADSTS70021", "federated", "issuer", "subject", "audience", "HTTP 400")
              .contains("https://oidc.prod-aks.azure.com/x/")
              .doesNotContain(assertion);
        });
    assertThat(entra.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_aadsts700024_saysTheTokenFileIsStaleAndMayBeRetried() {
    entra.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"invalid_client\",\"error_description\":"
        + "\"AADSTS700024: Client assertion is not within its valid time range.\",\"error_codes\":[700024]}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("AADSTS700024", "expired", "stale", "AZURE_FEDERATED_TOKEN_FILE")
              .doesNotContain(assertion);
        });
  }

  @Test
  void fetchToken_errorPageEchoingTheAssertion_isRedacted() {
    entra.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway for " + assertion + "</html>").build());
    entra.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway for " + assertion + "</html>").build());
    entra.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway for " + assertion + "</html>").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> assertThat(e.getMessage())
            .contains("HTTP 502 after 3 attempts", "<redacted sha256=").doesNotContain(assertion));
  }

  @Test
  void fetchToken_503Twice_retriesAndSucceeds() throws Exception {
    ProviderTesting.RecordingSleeper sleeper = new ProviderTesting.RecordingSleeper();
    entra.enqueue(new MockResponse.Builder().code(503).build());
    entra.enqueue(new MockResponse.Builder().code(503).build());
    entra.enqueue(new MockResponse.Builder().code(200).body(entraSuccess(ProviderTesting.azureToken())).build());

    provider.fetchToken(runtime(ProviderTesting.config(), env(), sleeper));

    assertThat(entra.getRequestCount()).isEqualTo(3);
    assertThat(sleeper.waits).hasSize(2);
  }

  @Test
  void fetchToken_missingFile_saysWhichFileAndWhoNamedIt() {
    Map<String, String> env = env();
    env.put("AZURE_FEDERATED_TOKEN_FILE", dir.resolve("nope").toString());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env)))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining(dir.resolve("nope").toString())
        .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE")
        .hasMessageContaining("does not exist");
    assertThat(entra.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_noClientId_namesBothWaysToSetIt() {
    Map<String, String> env = env();
    env.remove("AZURE_CLIENT_ID");

    assertThatThrownBy(() -> provider.fetchToken(runtime(env)))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("AZURE_CLIENT_ID")
        .hasMessageContaining("mondoo.wif.azure.client-id");
  }

  @Test
  void fetchToken_fileHoldingNoJwt_refusesWithoutQuotingIt() throws Exception {
    Files.writeString(tokenFile, "not-a-jwt-secret-value");

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("does not hold a JWT")
        .hasMessageNotContaining("not-a-jwt-secret-value");
  }
}
