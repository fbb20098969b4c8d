package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.azure.AppServiceProvider;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class AppServiceProviderTest {
  static final String SECRET = "app-service-identity-header-secret";

  @StartStop final MockWebServer server = new MockWebServer();
  final AppServiceProvider provider = new AppServiceProvider();

  Map<String, String> env(String header) {
    Map<String, String> env = new HashMap<>();
    env.put("IDENTITY_ENDPOINT", server.url("/msi/token").toString());
    env.put("IDENTITY_HEADER", header);
    return env;
  }

  MockResponse ok() {
    return new MockResponse.Builder().code(200).body(FakeMondoo.imdsResponse(ProviderTesting.azureToken(),
        ProviderTesting.RESOURCE, NOW.plusSeconds(86400))).build();
  }

  @Test
  void applicability_endpointAndHeader_applies() {
    assertThat(provider.applicability(runtime(env(SECRET))).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_serviceFabricThumbprintPresent_doesNotApply() {
    Map<String, String> env = env(SECRET);
    env.put("IDENTITY_SERVER_THUMBPRINT", "AB".repeat(20));
    assertThat(provider.applicability(runtime(env)).applicable()).isFalse();
    assertThat(provider.applicability(runtime(env)).reason()).contains("Service Fabric");
  }

  @Test
  void applicability_endpointWithoutHeader_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of("IDENTITY_ENDPOINT", "http://127.0.0.1:9/x"))).applicable())
        .isFalse();
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_systemIdentity_sendsApiVersionResourceAndIdentityHeader() throws Exception {
    server.enqueue(ok());

    SubjectToken token = provider.fetchToken(runtime(env(SECRET)));

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(86400));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/msi/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2019-08-01");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo(ProviderTesting.RESOURCE);
    assertThat(request.getUrl().querySize()).isEqualTo(2);
    assertThat(request.getHeaders().get("X-IDENTITY-HEADER")).isEqualTo(SECRET);
    assertThat(request.getBodySize()).isZero();
  }

  @Test
  void fetchToken_headerRotated_sendsTheCurrentValueEachRequest() throws Exception {
    server.enqueue(ok());
    server.enqueue(ok());

    provider.fetchToken(runtime(env("first-header")));
    provider.fetchToken(runtime(env("second-header")));

    assertThat(server.takeRequest().getHeaders().get("X-IDENTITY-HEADER")).isEqualTo("first-header");
    assertThat(server.takeRequest().getHeaders().get("X-IDENTITY-HEADER")).isEqualTo("second-header");
  }

  @Test
  void fetchToken_userAssignedByClientId_sendsClientId() throws Exception {
    server.enqueue(ok());
    provider.fetchToken(runtime(ProviderTesting.config(b -> b.setting("azure.client-id", "cid-1")), env(SECRET)));
    assertThat(server.takeRequest().getUrl().queryParameter("client_id")).isEqualTo("cid-1");
  }

  @Test
  void fetchToken_userAssignedByObjectId_sendsObjectId() throws Exception {
    server.enqueue(ok());
    provider.fetchToken(runtime(ProviderTesting.config(b -> b.setting("azure.object-id", "oid-1")), env(SECRET)));
    assertThat(server.takeRequest().getUrl().queryParameter("object_id")).isEqualTo("oid-1");
  }

  @Test
  void fetchToken_userAssignedByResourceId_sendsMiResId() throws Exception {
    server.enqueue(ok());
    String id = "/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u";
    provider.fetchToken(runtime(ProviderTesting.config(b -> b.setting("azure.msi-res-id", id)), env(SECRET)));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().queryParameter("mi_res_id")).isEqualTo(id);
    assertThat(request.getUrl().queryParameter("msi_res_id")).isNull();
  }

  @Test
  void fetchToken_twoSelectors_refusesBeforeAnyRequest() {
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "c").setting("azure.object-id", "o"));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env(SECRET))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("set only one of");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_400_namesTheIdentityAndDoesNotRetry() {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"statusCode\":400,\"message\":\"No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.\"}")
        .build());
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "cid-404"));

    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env(SECRET))))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("HTTP 400", "client id cid-404", "No User Assigned", "/msi/token")
              .doesNotContain(SECRET);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_429Twice_retriesAndSucceeds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(ok());

    provider.fetchToken(runtime(env(SECRET)));

    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void fetchToken_headerWithNewline_refusedWithoutShowingIt() {
    assertThatThrownBy(() -> provider.fetchToken(runtime(env("abc\ndef-secret"))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("IDENTITY_HEADER")
        .hasMessageNotContaining("def-secret");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_bodyWithoutAccessToken_saysWhichFieldsCame() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"expires_on\":\"1\"}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env(SECRET))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("without an access_token")
        .hasMessageContaining("expires_on");
  }
}
