package io.github.mondoowif.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.MondooApiClient;
import io.github.mondoowif.MondooApiException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.testing.FakeMondoo;
import io.github.mondoowif.testing.FakeMondooApi;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class MondooApiClientTest {
  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer other = new MockWebServer();

  private final FakeMondooApi fake = FakeMondooApi.on(server);

  private MondooCredential credential(String apiEndpoint) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    KeyPair keys = FakeMondoo.p384();
    String cert = FakeMondoo.certificatePem(keys, "t", now.minusSeconds(60), now.plusSeconds(3600));
    String json = apiEndpoint == null
        ? FakeMondoo.serviceAccountJson(keys, cert).replace(",\"api_endpoint\":\"https://us.api.mondoo.com\"", "")
        : FakeMondoo.serviceAccountJson(keys, cert, apiEndpoint);
    return MondooCredential.parse(FakeMondoo.base64(json), "test", now, Duration.ofHours(1));
  }

  private RecordedRequest take(MockWebServer s) throws InterruptedException {
    return s.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void health_servingServer_parsesEveryFieldAndSendsUnsignedPost() throws Exception {
    Instant before = Instant.now();
    MondooApiClient client = MondooApiClient.builder().universeDomain(fake.universeDomain() + "/").build();

    MondooApiClient.Health health = client.health();

    assertThat(health.status()).isEqualTo("SERVING");
    assertThat(health.version()).isEqualTo("11.0.0");
    assertThat(health.apiVersion()).isEqualTo("v1");
    assertThat(health.build()).isEqualTo("abc123");
    assertThat(health.time()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    RecordedRequest r = take(server);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/Health/Check");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(r.getBody().utf8()).isEqualTo("{}");
  }

  @Test
  void health_serverClockFiveMinutesAhead_clockOffsetSaysSo() throws Exception {
    fake.serverClockOffset(Duration.ofMinutes(5));
    MondooApiClient client = MondooApiClient.builder().universeDomain(fake.universeDomain()).build();

    Duration offset = client.health().clockOffset(Instant.now());

    assertThat(offset).isBetween(Duration.ofMinutes(5).minusSeconds(5), Duration.ofMinutes(5).plusSeconds(5));
  }

  @Test
  void health_rpcError_throwsWithStatusCodeAndMessage() {
    server.setDispatcher(new mockwebserver3.QueueDispatcher());
    server.enqueue(FakeMondooApi.json(503, "{\"code\":14,\"message\":\"upstream unavailable\"}"));
    MondooApiClient client = MondooApiClient.builder().universeDomain(fake.universeDomain()).build();

    assertThatThrownBy(client::health)
        .isInstanceOfSatisfying(MondooApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.code()).isEqualTo(14);
          assertThat(e.serverMessage()).isEqualTo("upstream unavailable");
          assertThat(e.endpoint()).isEqualTo(fake.universeDomain() + "/Health/Check");
        })
        .hasMessageContaining("HTTP 503, code 14, message \"upstream unavailable\"")
        .hasMessageContaining("unavailable or throttling");
  }

  @Test
  void health_htmlAt200_throwsSayingNotJson() {
    server.setDispatcher(new mockwebserver3.QueueDispatcher());
    server.enqueue(new MockResponse.Builder().code(200).body("<html>proxy login</html>").build());
    MondooApiClient client = MondooApiClient.builder().universeDomain(fake.universeDomain()).build();

    assertThatThrownBy(client::health).isInstanceOf(MondooApiException.class)
        .hasMessageContaining("not JSON").hasMessageContaining("mondoo.wif.universe-domain");
  }

  @Test
  void health_nothingListening_throwsWithStatusZeroNamingEndpoint() throws Exception {
    String closed = other.url("/").toString();
    other.close();
    MondooApiClient client = MondooApiClient.builder().universeDomain(closed).timeout(Duration.ofSeconds(2)).build();

    assertThatThrownBy(client::health)
        .isInstanceOfSatisfying(MondooApiException.class, e -> assertThat(e.status()).isZero())
        .hasMessageContaining("could not be reached").hasMessageContaining("/Health/Check");
  }

  @Test
  void pingPong_issuedCredential_signatureVerifiedByFake() throws Exception {
    MondooCredential c = MondooCredential.parse(fake.issueCredential(), "test", Instant.now(), Duration.ofHours(1));
    MondooApiClient client = MondooApiClient.builder().credential(c).universeDomain("http://127.0.0.1:9").build();

    client.pingPong();

    assertThat(fake.pingPongProblems()).isEmpty();
    RecordedRequest r = take(server);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/AgentManager/PingPong");
    assertThat(r.getBody().utf8()).isEqualTo("{}");
  }

  @Test
  void pingPong_credentialWithoutApiEndpoint_goesToUniverseDomain() throws Exception {
    MondooCredential c = credential(null);
    other.enqueue(FakeMondooApi.json(200, "{}"));
    MondooApiClient client = MondooApiClient.builder().credential(c).universeDomain(other.url("/").toString()).build();

    client.pingPong();

    RecordedRequest r = take(other);
    assertThat(r.getUrl().encodedPath()).isEqualTo("/AgentManager/PingPong");
    assertThat(FakeMondooApi.verify(r, List.of(c.certificate()), Instant.now())).isEmpty();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void pingPong_credentialApiEndpointNotHttps_fallsBackToUniverseDomain() throws Exception {
    MondooCredential c = credential("http://api.example.invalid");
    other.enqueue(FakeMondooApi.json(200, "{}"));
    MondooApiClient client = MondooApiClient.builder().credential(c).universeDomain(other.url("/").toString()).build();

    client.pingPong();

    assertThat(take(other).getUrl().encodedPath()).isEqualTo("/AgentManager/PingPong");
  }

  @Test
  void pingPong_refused_throwsWithMondooCodeAndMessage() throws Exception {
    MondooCredential c = credential(null);
    other.enqueue(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"invalid signature\"}"));
    MondooApiClient client = MondooApiClient.builder().credential(c).universeDomain(other.url("/").toString()).build();

    assertThatThrownBy(client::pingPong)
        .isInstanceOfSatisfying(MondooApiException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.code()).isEqualTo(16);
          assertThat(e.serverMessage()).isEqualTo("invalid signature");
        })
        .hasMessageContaining("AgentManager/PingPong")
        .hasMessageContaining("clock")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(c.base64Config()).doesNotContain("PRIVATE KEY"));
  }

  @Test
  void pingPong_withMondooCredentials_exchangesOnceAndSignsWithThatCredential() throws Exception {
    MondooWifConfig config = MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(fake.universeDomain())
        .azureResource(FakeMondooApi.RESOURCE)
        .build();
    try (MondooCredentials credentials = MondooCredentials.builder()
        .config(config)
        .environment(Map.of("MSI_ENDPOINT", fake.cloudShellEndpoint()))
        .providers(List.of(new CloudShellProvider()))
        .build()) {
      MondooApiClient client = MondooApiClient.create(credentials);

      client.pingPong();
      client.pingPong();
    }

    assertThat(fake.issuedCredentials()).hasSize(1);
    assertThat(fake.pingPongProblems()).isEmpty();
    List<String> paths = new java.util.ArrayList<>();
    for (int i = 0; i < server.getRequestCount(); i++) {
      paths.add(take(server).getUrl().encodedPath());
    }
    assertThat(paths).containsExactly(FakeMondooApi.CLOUD_SHELL_PATH, FakeMondooApi.STS_PATH,
        FakeMondooApi.PING_PONG_PATH, FakeMondooApi.PING_PONG_PATH);
  }

  @Test
  void pingPong_withoutCredentialSource_throwsIllegalState() {
    MondooApiClient client = MondooApiClient.builder().universeDomain(fake.universeDomain()).build();

    assertThatThrownBy(client::pingPong).isInstanceOf(IllegalStateException.class).hasMessageContaining("credential");
  }

  @Test
  void builder_universeDomainTwice_throwsNamingFirstValue() {
    MondooApiClient.Builder b = MondooApiClient.builder().universeDomain("https://us.api.mondoo.com");

    assertThatThrownBy(() -> b.universeDomain("https://eu.api.mondoo.com"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("https://us.api.mondoo.com");
  }

  @Test
  void builder_plainHttpRemoteUniverse_rejectedWithValue() {
    assertThatThrownBy(() -> MondooApiClient.builder().universeDomain("http://api.example.invalid"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://api.example.invalid");
  }
}
