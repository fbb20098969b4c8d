package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/**
 * Which clients initialise TLS, and which pool connections: OkHttp builds a TLS socket factory (hundreds of milliseconds on a cold JVM)
 * whenever a client with a TLS connection spec is built, so only clients for https endpoints may have one.
 */
class HttpClientsTlsTest {
  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void metadata_isPlainHttpOnly() {
    OkHttpClient c = HttpClients.metadata(Duration.ofSeconds(10));

    assertThat(c.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
    assertThatThrownBy(c::sslSocketFactory).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sts_httpsUniverseDomain_speaksTls() {
    OkHttpClient c = HttpClients.sts(Duration.ofSeconds(10), "https://us.api.mondoo.com");

    assertThat(c.connectionSpecs()).contains(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT);
    assertThat(c.sslSocketFactory()).isNotNull();
  }

  @Test
  void sts_plainHttpUniverseDomain_initialisesNoTls() {
    OkHttpClient c = HttpClients.sts(Duration.ofSeconds(10), "HTTP://127.0.0.1:8080");

    assertThat(c.connectionSpecs()).containsExactly(ConnectionSpec.CLEARTEXT);
  }

  @Test
  void sts_withoutUniverseDomain_speaksTls() {
    assertThat(HttpClients.sts(Duration.ofSeconds(10)).connectionSpecs()).contains(ConnectionSpec.MODERN_TLS);
  }

  @Test
  void withTls_addsTlsToAPlainClientAndKeepsItsSettings() {
    OkHttpClient plain = HttpClients.metadata(Duration.ofSeconds(3));

    OkHttpClient tls = HttpClients.withTls(plain);

    assertThat(tls.connectionSpecs()).contains(ConnectionSpec.MODERN_TLS);
    assertThat(tls.proxy()).isEqualTo(plain.proxy());
    assertThat(tls.followRedirects()).isFalse();
    assertThat(tls.callTimeoutMillis()).isEqualTo(3000);
    assertThat(HttpClients.withTls(tls)).isSameAs(tls);
  }

  @Test
  void metadataCall_plainHttpEndpoint_works() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());

    var result = call().execute("test", new Request.Builder().url(server.url("/token")).build(), "GET /token");

    assertThat(result.status).isEqualTo(200);
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/token");
  }

  @Test
  void exchangeClients_keepNoIdleConnection_apiClientPools() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    OkHttpClient metadata = HttpClients.metadata(Duration.ofSeconds(5));
    OkHttpClient sts = HttpClients.sts(Duration.ofSeconds(5), server.url("/").toString());

    try (var r = metadata.newCall(new Request.Builder().url(server.url("/token")).build()).execute()) {
      assertThat(r.body().string()).isEqualTo("{}");
    }
    try (var r = sts.newCall(new Request.Builder().url(server.url("/sts")).build()).execute()) {
      assertThat(r.body().string()).isEqualTo("{}");
    }

    assertThat(metadata.connectionPool().idleConnectionCount()).isZero();
    assertThat(sts.connectionPool()).isSameAs(metadata.connectionPool());
    assertThat(HttpClients.sts(Duration.ofSeconds(5)).connectionPool()).isNotSameAs(metadata.connectionPool());
  }

  /** A custom https metadata endpoint gets a TLS handshake (refused here: its certificate is self-signed). */
  @Test
  void metadataCall_httpsEndpoint_speaksTlsInsteadOfFailingOnThePlainClient() throws Exception {
    server.useHttps(selfSignedServer().getSocketFactory());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());

    assertThatThrownBy(() -> call().execute("test", new Request.Builder().url(server.url("/token")).build(), "GET /token"))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("TLS handshake refused");
  }

  private static MetadataCall call() {
    RetryPolicy once = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1),
        Duration.ofMillis(1), Duration.ofMillis(1));
    return new MetadataCall(HttpClients.metadata(Duration.ofSeconds(5)), once, Sleeper.SYSTEM, Clock.systemUTC(), () -> 0.5);
  }

  private static SSLContext selfSignedServer() throws Exception {
    KeyPair keys = FakeMondoo.p384();
    Instant now = Instant.now();
    String pem = FakeMondoo.certificatePem(keys, "localhost", now.minusSeconds(3600), now.plusSeconds(3600));
    Certificate cert = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    return tls;
  }
}
