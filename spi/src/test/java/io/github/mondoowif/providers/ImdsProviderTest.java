package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.azure.ImdsProvider;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class ImdsProviderTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final ImdsProvider provider = new ImdsProvider();

  Map<String, String> env() {
    return Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", server.url("/").toString());
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).body(FakeMondoo.imdsResponse(ProviderTesting.azureToken(),
        ProviderTesting.RESOURCE, NOW.plusSeconds(86400))).build();
  }

  @Test
  void applicability_probeAnswered_appliesAfterOneProbeWithoutMetadataHeader() throws Exception {
    server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"invalid_request\"}").build());

    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
    RecordedRequest probe = server.takeRequest();
    assertThat(probe.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(probe.getHeaders().get("Metadata")).isNull();
  }

  @Test
  void applicability_dockerDesktopUnreachableNetwork_doesNotApply() {
    server.enqueue(new MockResponse.Builder().code(403)
        .body("A socket operation was attempted to an unreachable network.").build());

    assertThat(provider.applicability(runtime(env())).reason()).contains("Docker Desktop");
    assertThat(provider.applicability(runtime(env())).applicable()).isFalse();
  }

  @Test
  void applicability_nothingListening_doesNotApplyQuickly() {
    long start = System.nanoTime();
    var answer = provider.applicability(runtime(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9")));
    assertThat(answer.applicable()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
  }

  @Test
  void applicability_negativeProbe_isProbedAgainAfterThirtySeconds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(403).body("unreachable network").build());
    server.enqueue(new MockResponse.Builder().code(400).build());
    ProviderRuntime later = ProviderRuntime.builder(ProviderTesting.config()).env(env())
        .clock(Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC)).build();

    assertThat(provider.applicability(runtime(env())).applicable()).isFalse();
    assertThat(provider.applicability(runtime(env())).applicable()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(provider.applicability(later).applicable()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void fetchToken_userAssignedByResourceId_sendsMsiResIdAndMetadataHeader() throws Exception {
    server.enqueue(ok());
    var config = ProviderTesting.config(b -> b.setting("azure.msi-res-id", "/subscriptions/s/rid"));

    provider.fetchToken(runtime(config, env()));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2018-02-01");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo(ProviderTesting.RESOURCE);
    assertThat(request.getUrl().queryParameter("msi_res_id")).isEqualTo("/subscriptions/s/rid");
    assertThat(request.getHeaders().get("Metadata")).isEqualTo("true");
  }

  @Test
  void fetchToken_410_isRetriedOnItsOwnSchedule() throws Exception {
    server.enqueue(new MockResponse.Builder().code(410).build());
    server.enqueue(ok());
    ProviderTesting.RecordingSleeper sleeper = new ProviderTesting.RecordingSleeper();
    ProviderRuntime rt = ProviderRuntime.builder(ProviderTesting.config()).env(env()).clock(ProviderTesting.CLOCK)
        .retryPolicy(new io.github.mondoowif.internal.http.RetryPolicy(3, java.time.Duration.ZERO,
            java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(70)))
        .sleeper(sleeper).build();

    provider.fetchToken(rt);

    assertThat(sleeper.waits).containsExactly(java.time.Duration.ofSeconds(10));
  }

  @Test
  void fetchToken_400_namesTheIdentity() {
    server.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}").build());
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "cid-x"));

    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("Identity not found")
        .hasMessageContaining("client id cid-x");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
