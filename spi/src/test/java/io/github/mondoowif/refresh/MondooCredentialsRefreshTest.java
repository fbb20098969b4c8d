package io.github.mondoowif.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.testing.FakeMondoo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The public facade on the refresh engine, against MockWebServer for the Cloud Shell source and the STS. */
class MondooCredentialsRefreshTest {
  private static final String RESOURCE = "api://mondoo-wif";

  @StartStop final MockWebServer azure = new MockWebServer();
  @StartStop final MockWebServer sts = new MockWebServer();

  // One RSA key for the whole class: generating one per test costs about a second on a busy machine.
  private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final String TOKEN = FakeMondoo.azureToken(RESOURCE, START.plus(Duration.ofHours(24)));

  private final Instant now = START;
  private final String token = TOKEN;

  private MondooWifConfig.Builder config() {
    return MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(sts.url("/").toString())
        .azureResource(RESOURCE);
  }

  private MondooCredentials.Builder credentials(MondooWifConfig config) {
    return MondooCredentials.builder()
        .config(config)
        .environment(Map.of("MSI_ENDPOINT", azure.url("/oauth2/token").toString()))
        .providers(List.of(new CloudShellProvider()));
  }

  private void azureAnswers(int times) {
    for (int i = 0; i < times; i++) {
      azure.enqueue(new MockResponse.Builder().code(200)
          .body(FakeMondoo.imdsResponse(token, RESOURCE, now.plus(Duration.ofHours(24)))).build());
    }
  }

  private String stsAnswers(Instant notAfter, long delayMillis) {
    String credential = FakeMondoo.base64Credential(notAfter);
    sts.enqueue(new MockResponse.Builder().code(200).body(FakeMondoo.stsResponse(credential))
        .headersDelay(delayMillis, TimeUnit.MILLISECONDS).build());
    return credential;
  }

  @Test
  void credential_thousandThreadsOnColdInstance_oneTokenRequestAndOneExchange() throws Exception {
    azureAnswers(1);
    String credential = stsAnswers(now.plus(Duration.ofHours(1)), 500);
    try (MondooCredentials credentials = credentials(config().build()).build()) {
      int n = 1000;
      AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Thread t = new Thread(() -> {
          try {
            go.await();
            results.set(index, credentials.credential());
          } catch (MondooWifException | InterruptedException | RuntimeException e) {
            results.set(index, e);
          }
        });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(20_000);
      }

      assertThat(azure.getRequestCount()).isEqualTo(1);
      assertThat(sts.getRequestCount()).isEqualTo(1);
      Object first = results.get(0);
      assertThat(first).isInstanceOf(MondooCredential.class);
      assertThat(((MondooCredential) first).base64Config()).isEqualTo(credential);
      for (int i = 0; i < n; i++) {
        assertThat(results.get(i)).isSameAs(first);
      }
    }
  }

  @Test
  void credential_stsRefuses_throwsUnavailableWithExchangeFailureAsCause() throws Exception {
    azureAnswers(1);
    sts.enqueue(new MockResponse.Builder().code(403)
        .body("{\"code\":7,\"message\":\"identity binding does not match\"}").build());
    try (MondooCredentials credentials = credentials(config().build()).build()) {

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(credentials::credential);

      assertThat(thrown).isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("test-space-1")
          .hasMessageContaining("HTTP 403")
          .hasMessageContaining("identity binding does not match");
      assertThat(thrown.getMessage()).doesNotContain(token);
      assertThat(thrown.getCause()).isInstanceOf(ExchangeException.class);
      assertThat(((ExchangeException) thrown.getCause()).status()).isEqualTo(403);
    }
  }

  @Test
  void credential_exchangeSlowerThanWaitTimeout_throwsAfterConfiguredWait() throws Exception {
    azureAnswers(1);
    stsAnswers(now.plus(Duration.ofHours(1)), 3_000);
    try (MondooCredentials credentials =
        credentials(config().setting("wait-timeout", "200ms").build()).build()) {
      long started = System.nanoTime();

      assertThatThrownBy(credentials::credential).isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("within PT0.2S")
          .hasMessageContaining("mondoo.wif.wait-timeout");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
    }
  }

  @Test
  void credential_explicitWait_overridesConfiguredWait() throws Exception {
    azureAnswers(1);
    stsAnswers(now.plus(Duration.ofHours(1)), 3_000);
    try (MondooCredentials credentials = credentials(config().build()).build()) {

      assertThatThrownBy(() -> credentials.credential(Duration.ofMillis(100)))
          .isInstanceOf(CredentialUnavailableException.class)
          .hasMessageContaining("within PT0.1S");
    }
  }

  @Test
  void start_returnsAtOnceAndListenerHearsFirstCredential() throws Exception {
    azureAnswers(1);
    String credential = stsAnswers(now.plus(Duration.ofHours(1)), 300);
    try (MondooCredentials credentials = credentials(config().build()).build()) {
      CountDownLatch heard = new CountDownLatch(1);
      List<MondooCredential> received = new java.util.concurrent.CopyOnWriteArrayList<>();
      credentials.addListener(c -> {
        received.add(c);
        heard.countDown();
      });

      long started = System.nanoTime();
      credentials.start();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
      assertThat(credentials.peek()).isEmpty();

      assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).base64Config()).isEqualTo(credential);
      assertThat(credentials.peek()).contains(received.get(0));
      assertThat(credentials.providerName()).isEqualTo("azure-cloud-shell");
    }
  }

  @Test
  void credential_pastExpiredPoint_exchangesAgainReusingAzureToken() throws Exception {
    FakeClock clock = new FakeClock(now);
    azureAnswers(1);
    stsAnswers(now.plus(Duration.ofHours(1)), 0);
    String second = stsAnswers(now.plus(Duration.ofHours(2)), 0);
    try (MondooCredentials credentials = credentials(config().build()).clock(clock).build()) {
      MondooCredential first = credentials.credential();

      clock.setMillis(first.expiresAt().minusSeconds(60).toEpochMilli());
      MondooCredential next = credentials.credential();

      assertThat(next.base64Config()).isEqualTo(second);
      assertThat(sts.getRequestCount()).isEqualTo(2);
      assertThat(azure.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void close_afterCredential_credentialThrowsIllegalStateAndPeekIsEmpty() throws Exception {
    azureAnswers(1);
    stsAnswers(now.plus(Duration.ofHours(1)), 0);
    MondooCredentials credentials = credentials(config().build()).build();
    credentials.credential();

    credentials.close();
    credentials.close();

    assertThat(credentials.peek()).isEmpty();
    assertThatThrownBy(credentials::credential).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void name_notSet_isTheAudiencesSpaceId() throws Exception {
    try (MondooCredentials credentials = credentials(config().build()).build()) {
      assertThat(credentials.name()).isEqualTo("test-space-1");
    }
  }

  @Test
  void name_set_isUsedAndSetOnceOnly() throws Exception {
    MondooCredentials.Builder builder = credentials(config().build()).name("billing");

    assertThatThrownBy(() -> builder.name("other")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("billing");
    assertThatThrownBy(() -> MondooCredentials.builder().name(" ")).isInstanceOf(IllegalArgumentException.class);
    try (MondooCredentials credentials = builder.build()) {
      assertThat(credentials.name()).isEqualTo("billing");
    }
  }

  @Test
  void jmx_platformServerInUse_registersStatusUntilClose() throws Exception {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    azureAnswers(1);
    stsAnswers(now.plus(Duration.ofHours(1)), 0);
    MondooCredentials credentials = credentials(config().build()).name("jmx-facade").build();
    ObjectName name = new ObjectName("io.github.mondoowif:type=Credential,name=jmx-facade");
    await().atMost(Duration.ofSeconds(10)).until(() -> platform.isRegistered(name));

    MondooCredential c = credentials.credential();
    assertThat(platform.getAttribute(name, "Provider")).isEqualTo("azure-cloud-shell");
    assertThat(platform.getAttribute(name, "ExpiresAt")).isEqualTo(c.expiresAt().toString());
    assertThat(platform.getAttribute(name, "RefreshCount")).isEqualTo(1L);

    credentials.close();
    assertThat(platform.isRegistered(name)).isFalse();
  }
}
