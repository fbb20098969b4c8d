package io.github.mondoowif.providers;

import io.github.mondoowif.testing.LogCapture;
import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.config;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.providers.ProviderTesting.RecordingSleeper;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.azure.ServiceFabricProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.logging.Level;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceFabricProviderTest {
  static final String SECRET = "sf-identity-header-secret-value";
  static SSLContext serverTls;
  static String thumbprint;

  final MockWebServer server = new MockWebServer();
  final ServiceFabricProvider provider = new ServiceFabricProvider();

  /** A self-signed P-384 server certificate, and its SHA-1 thumbprint as Service Fabric would give it. */
  @BeforeAll
  static void serverCertificate() throws Exception {
    KeyPair keys = FakeMondoo.p384();
    String pem = FakeMondoo.certificatePem(keys, "sf-node", NOW.minusSeconds(3600), NOW.plusSeconds(86400));
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    thumbprint = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
  }

  @BeforeEach
  void start() throws Exception {
    server.useHttps(serverTls.getSocketFactory());
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Map<String, String> env(String thumb) {
    Map<String, String> env = new HashMap<>();
    env.put("IDENTITY_ENDPOINT", server.url("/metadata/identity/oauth2/token").toString());
    env.put("IDENTITY_HEADER", SECRET);
    env.put("IDENTITY_SERVER_THUMBPRINT", thumb);
    return env;
  }

  static String sfBody(String token, long expiresOn) {
    return "{\"token_type\":\"Bearer\",\"access_token\":\"" + token + "\",\"expires_on\":" + expiresOn
        + ",\"resource\":\"" + ProviderTesting.RESOURCE + "\"}";
  }

  @Test
  void applicability_allThreeMarkers_applies() {
    assertThat(provider.applicability(runtime(env(thumbprint))).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_withoutThumbprint_doesNotApply() {
    Map<String, String> env = env(thumbprint);
    env.remove("IDENTITY_SERVER_THUMBPRINT");
    assertThat(provider.applicability(runtime(env)).applicable()).isFalse();
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_matchingThumbprint_sendsSecretHeaderOverTlsAndParsesNumericExpiry() throws Exception {
    // No exp claim: the numeric expires_on must carry the expiry.
    String token = FakeMondoo.jwt(Map.of("iss", FakeMondoo.ISSUER, "aud", ProviderTesting.RESOURCE, "sub", "sf"));
    server.enqueue(new MockResponse.Builder().code(200).body(sfBody(token, NOW.plusSeconds(7200).getEpochSecond())).build());

    SubjectToken subject = provider.fetchToken(runtime(env(thumbprint)));

    assertThat(subject.value()).isEqualTo(token);
    assertThat(subject.expiresAt()).contains(NOW.plusSeconds(7200));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getHandshake()).isNotNull();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2019-07-01-preview");
    assertThat(request.getUrl().queryParameter("resource")).isEqualTo(ProviderTesting.RESOURCE);
    assertThat(request.getUrl().querySize()).isEqualTo(2);
    assertThat(request.getHeaders().get("Secret")).isEqualTo(SECRET);
  }

  @Test
  void fetchToken_thumbprintInLowerCaseWithColons_isAccepted() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .body(sfBody(ProviderTesting.azureToken(), NOW.plusSeconds(7200).getEpochSecond())).build());
    String colons = thumbprint.toLowerCase().replaceAll("(..)(?!$)", "$1:");

    assertThat(provider.fetchToken(runtime(env(colons))).value()).isNotBlank();
  }

  @Test
  void fetchToken_wrongThumbprint_refusesTheServerBeforeSendingAnything() {
    String wrong = "00" + thumbprint.substring(2);

    assertThatThrownBy(() -> provider.fetchToken(runtime(env(wrong))))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("refused the server", thumbprint, wrong, "IDENTITY_SERVER_THUMBPRINT")
              .doesNotContain(SECRET);
        });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_wrongThumbprint_isNotRetried() {
    RecordingSleeper sleeper = new RecordingSleeper();

    assertThatThrownBy(() -> provider.fetchToken(runtime(config(), env("00" + thumbprint.substring(2)), sleeper)))
        .isInstanceOf(TokenSourceException.class);
    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void fetchToken_malformedThumbprint_saysSo() {
    assertThatThrownBy(() -> provider.fetchToken(runtime(env("not-a-thumbprint"))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("IDENTITY_SERVER_THUMBPRINT")
        .hasMessageContaining("not a SHA-1 thumbprint");
  }

  @Test
  void fetchToken_plainHttpEndpoint_isRefused() {
    Map<String, String> env = env(thumbprint);
    env.put("IDENTITY_ENDPOINT", "http://127.0.0.1:9/metadata/identity/oauth2/token");

    assertThatThrownBy(() -> provider.fetchToken(runtime(env)))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("must be https");
  }

  @Test
  void fetchToken_redirect_isNotFollowed() {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "https://example.com/").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env(thumbprint))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("HTTP 302")
        .hasMessageNotContaining(SECRET);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_500ThreeTimes_failsAfterThreeAttemptsNamingEndpointAndStatus() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).body("{\"error\":{\"code\":\"SecretHeaderNotFound\",\"message\":\"m\"}}").build());
    }

    assertThatThrownBy(() -> provider.fetchToken(runtime(env(thumbprint))))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("/metadata/identity/oauth2/token", "HTTP 500 after 3 attempts",
              "SecretHeaderNotFound").doesNotContain(SECRET);
        });
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void fetchToken_userAssignedConfigured_isNotSentAndWarnedOnce() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200)
        .body(sfBody(ProviderTesting.azureToken(), NOW.plusSeconds(7200).getEpochSecond())).build());
    server.enqueue(new MockResponse.Builder().code(200)
        .body(sfBody(ProviderTesting.azureToken(), NOW.plusSeconds(7200).getEpochSecond())).build());
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "uami-client"));

    try (LogCapture log = new LogCapture()) {
      provider.fetchToken(runtime(config, env(thumbprint)));
      provider.fetchToken(runtime(config, env(thumbprint)));

      assertThat(log.messages(Level.WARNING)).hasSize(1);
      assertThat(log.messages(Level.WARNING).get(0)).contains("application manifest", "uami-client");
      assertThat(log.all()).doesNotContain(SECRET);
    }
    assertThat(server.takeRequest().getUrl().queryParameter("client_id")).isNull();
  }
}
