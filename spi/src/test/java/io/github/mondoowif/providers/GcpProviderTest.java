package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.gcp.GcpProvider;
import io.github.mondoowif.spi.SubjectToken;
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

class GcpProviderTest {
  static final String ID_TOKEN = ProviderTesting.jwt("https://accounts.google.com", "112233445566778899",
      FakeMondoo.SPACE, NOW.plusSeconds(3600));

  @StartStop final MockWebServer server = new MockWebServer();

  String hostPort() {
    return server.getHostName() + ":" + server.getPort();
  }

  Map<String, String> env() {
    return Map.of("GCE_METADATA_HOST", hostPort());
  }

  /** A provider whose probe goes to the mock server instead of the metadata server. */
  GcpProvider probing() {
    return new GcpProvider(hostPort());
  }

  static MockResponse google(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Metadata-Flavor", "Google").body(body).build();
  }

  @Test
  void applicability_gceMetadataHostSet_appliesWithoutProbing() {
    assertThat(new GcpProvider("127.0.0.1:9").applicability(runtime(env())).applicable()).isTrue();
    assertThat(server.getRequestCount()).isZero();
    assertThat(new GcpProvider()).isNotInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_probeAnsweredByGoogle_applies() throws Exception {
    server.enqueue(google(200, "computeMetadata/"));

    assertThat(probing().applicability(runtime(Map.of())).applicable()).isTrue();
    RecordedRequest probe = server.takeRequest();
    assertThat(probe.getMethod()).isEqualTo("GET");
    assertThat(probe.getUrl().encodedPath()).isEqualTo("/computeMetadata/v1/");
    assertThat(probe.getHeaders().get("Metadata-Flavor")).isEqualTo("Google");
  }

  @Test
  void applicability_probeAnsweredWithoutTheGoogleHeader_doesNotApply() {
    server.enqueue(new MockResponse.Builder().code(200).body("hello").build());

    var answer = probing().applicability(runtime(Map.of()));
    assertThat(answer.applicable()).isFalse();
    assertThat(answer.reason()).contains("Metadata-Flavor");
  }

  @Test
  void applicability_nothingListening_doesNotApplyWithinASecond() {
    long start = System.nanoTime();
    assertThat(new GcpProvider("127.0.0.1:9").applicability(runtime(Map.of())).applicable()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
  }

  @Test
  void applicability_stalledServer_givesUpAfterOneSecond() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Metadata-Flavor", "Google")
        .headersDelay(5, TimeUnit.SECONDS).build());

    long start = System.nanoTime();
    assertThat(probing().applicability(runtime(Map.of())).applicable()).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 2500L);
  }

  @Test
  void applicability_negativeProbe_isRememberedBrieflyNotForever() {
    server.enqueue(new MockResponse.Builder().code(404).build());
    server.enqueue(google(200, ""));
    GcpProvider provider = probing();
    ProviderRuntime later = ProviderRuntime.builder(ProviderTesting.config()).env(Map.of())
        .clock(Clock.fixed(NOW.plusSeconds(31), ZoneOffset.UTC)).build();

    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(provider.applicability(later).applicable()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void fetchToken_asksForAFullIdentityTokenForTheMondooAudience() throws Exception {
    server.enqueue(google(200, ID_TOKEN + "\n"));

    SubjectToken token = new GcpProvider().fetchToken(runtime(env()));

    assertThat(token.value()).isEqualTo(ID_TOKEN);
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3600));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/computeMetadata/v1/instance/service-accounts/default/identity");
    assertThat(request.getUrl().queryParameter("audience")).isEqualTo(FakeMondoo.SPACE);
    assertThat(request.getUrl().queryParameter("format")).isEqualTo("full");
    assertThat(request.getHeaders().get("Metadata-Flavor")).isEqualTo("Google");
  }

  @Test
  void fetchToken_hostWithHttpPrefix_isTolerated() throws Exception {
    server.enqueue(google(200, ID_TOKEN));
    new GcpProvider().fetchToken(runtime(Map.of("GCE_METADATA_HOST", "http://" + hostPort() + "/")));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_answerWithoutGoogleHeader_isRefused() {
    server.enqueue(new MockResponse.Builder().code(200).body(ID_TOKEN).build());
    assertThatThrownBy(() -> new GcpProvider().fetchToken(runtime(env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("Metadata-Flavor: Google")
        .hasMessageNotContaining(ID_TOKEN);
  }

  @Test
  void fetchToken_404_saysNoServiceAccountAfterBoundedRetries() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(google(404, "Not Found"));
    }
    assertThatThrownBy(() -> new GcpProvider().fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).contains("HTTP 404 after 3 attempts", "service account",
              "/computeMetadata/v1/instance/service-accounts/default/identity");
        });
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void fetchToken_503ThenOk_retries() throws Exception {
    server.enqueue(google(503, ""));
    server.enqueue(google(200, ID_TOKEN));
    assertThat(new GcpProvider().fetchToken(runtime(env())).value()).isEqualTo(ID_TOKEN);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void fetchToken_403_pointsAtGkeWorkloadIdentity() {
    server.enqueue(google(403, "denied"));
    assertThatThrownBy(() -> new GcpProvider().fetchToken(runtime(env())))
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("Workload Identity");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_bodyNotAJwt_isRefusedWithoutQuotingIt() {
    server.enqueue(google(200, "opaque-secret-thing"));
    assertThatThrownBy(() -> new GcpProvider().fetchToken(runtime(env())))
        .hasMessageContaining("not a JWT")
        .hasMessageNotContaining("opaque-secret-thing");
  }
}
