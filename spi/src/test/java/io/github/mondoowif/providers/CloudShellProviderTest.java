package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class CloudShellProviderTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final CloudShellProvider provider = new CloudShellProvider();

  Map<String, String> env() {
    return Map.of("MSI_ENDPOINT", server.url("/oauth2/token").toString());
  }

  @Test
  void applicability_msiEndpointAlone_applies() {
    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_withMsiSecret_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of("MSI_ENDPOINT", "http://x/", "MSI_SECRET", "s"))).applicable())
        .isFalse();
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_postsResourceFormWithMetadataHeader() throws Exception {
    String token = ProviderTesting.azureToken();
    server.enqueue(new MockResponse.Builder().code(200)
        .body(FakeMondoo.imdsResponse(token, ProviderTesting.RESOURCE, NOW.plusSeconds(86400))).build());

    assertThat(provider.fetchToken(runtime(env())).value()).isEqualTo(token);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth2/token");
    assertThat(request.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(ProviderTesting.form(request.getBody().utf8())).containsExactly(Map.entry("resource", ProviderTesting.RESOURCE));
  }

  @Test
  void fetchToken_userAssignedConfigured_refusedBeforeAnyRequest() {
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "cid"));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("only the system-assigned identity")
        .hasMessageContaining("mondoo.wif.azure.client-id");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_503ThenOk_retries() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(200)
        .body(FakeMondoo.imdsResponse(ProviderTesting.azureToken(), ProviderTesting.RESOURCE, NOW.plusSeconds(86400)))
        .build());

    provider.fetchToken(runtime(env()));

    assertThat(server.getRequestCount()).isEqualTo(2);
  }
}
