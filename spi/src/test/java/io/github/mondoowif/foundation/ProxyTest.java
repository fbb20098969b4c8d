package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.foundation.Recording.RecordingSleeper;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.ImdsProvider;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application's proxy settings ({@code http.proxyHost}, read live by the JDK's default ProxySelector)
 * must never route a metadata request, while the STS honours them. Everything stays on loopback: the
 * "proxy" is a second MockWebServer, and {@code http.nonProxyHosts} is emptied so loopback is not
 * exempted by the JDK's defaults.
 */
class ProxyTest {
  static final String RESOURCE = "api://mondoo-wif";
  static final String[] KEYS = {"http.proxyHost", "http.proxyPort", "http.nonProxyHosts"};

  @StartStop final MockWebServer target = new MockWebServer();
  @StartStop final MockWebServer proxy = new MockWebServer();
  final Map<String, String> saved = new HashMap<>();

  @BeforeEach
  void setProxy() {
    for (String k : KEYS) {
      saved.put(k, System.getProperty(k));
    }
    System.setProperty("http.proxyHost", proxy.getHostName());
    System.setProperty("http.proxyPort", Integer.toString(proxy.getPort()));
    System.setProperty("http.nonProxyHosts", "");
  }

  @AfterEach
  void restoreProxy() {
    for (String k : KEYS) {
      if (saved.get(k) == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, saved.get(k));
      }
    }
  }

  @Test
  void imdsFetch_applicationProxyConfigured_goesDirect() throws Exception {
    Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3600);
    String token = FakeMondoo.azureToken(RESOURCE, exp);
    target.enqueue(new MockResponse.Builder().body(FakeMondoo.imdsResponse(token, RESOURCE, exp)).build());
    proxy.enqueue(new MockResponse.Builder().code(502).body("proxied").build());
    MondooWifConfig config = MondooWifConfig.builder().audience(FakeMondoo.SPACE).azureResource(RESOURCE).build();
    ProviderRuntime rt = ProviderRuntime.builder(config)
        .env(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", target.url("/").toString()))
        .sleeper(new RecordingSleeper()).build();

    SubjectToken t = new ImdsProvider().fetchToken(rt);

    assertThat(t.value()).isEqualTo(token);
    assertThat(target.getRequestCount()).isEqualTo(1);
    assertThat(proxy.getRequestCount()).isZero();
  }

  @Test
  void stsExchange_applicationProxyConfigured_goesThroughTheProxy() throws Exception {
    String credential = "Y3JlZGVudGlhbA==";
    proxy.enqueue(new MockResponse.Builder().body(FakeMondoo.stsResponse(credential)).build());
    StsClient sts = new StsClient(HttpClients.sts(Duration.ofSeconds(5)), new RecordingSleeper(),
        Clock.systemUTC(), () -> 0.5);

    String result = sts.exchange(target.url("/").toString(), FakeMondoo.SPACE, FakeMondoo.ISSUER,
        SubjectToken.of("header.payload.signature", null));

    assertThat(result).isEqualTo(credential);
    RecordedRequest r = proxy.takeRequest();
    assertThat(r.getTarget()).isEqualTo(target.url("/SecureTokenService/ExchangeExternalToken").toString());
    assertThat(target.getRequestCount()).isZero();
  }
}
