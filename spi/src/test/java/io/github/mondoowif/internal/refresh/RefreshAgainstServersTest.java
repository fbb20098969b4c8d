package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.CredentialExchange;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with the real exchange (Cloud Shell token source, Mondoo's STS) against MockWebServer, on a
 * fake clock: every request is counted where it lands.
 */
class RefreshAgainstServersTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final String RESOURCE = "api://mondoo-wif";
  private static final String AZURE_TOKEN = FakeMondoo.azureToken(RESOURCE, T0.plus(Duration.ofHours(24)));

  @StartStop final MockWebServer azure = new MockWebServer();
  @StartStop final MockWebServer sts = new MockWebServer();

  private final FakeClock clock = new FakeClock(T0);
  private final FakeScheduler scheduler = FakeScheduler.inline(clock);
  private volatile int stsStatus = 200;
  private volatile Duration certificateLifetime = Duration.ofHours(1);

  @BeforeEach
  void servers() {
    azure.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200)
            .body(FakeMondoo.imdsResponse(AZURE_TOKEN, RESOURCE, T0.plus(Duration.ofHours(24)))).build();
      }
    });
    sts.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        int status = stsStatus;
        if (status != 200) {
          return new MockResponse.Builder().code(status)
              .body("{\"code\":" + (status == 503 ? 14 : 16) + ",\"message\":\"test says " + status + "\"}").build();
        }
        return new MockResponse.Builder().code(200)
            .body(FakeMondoo.stsResponse(FakeMondoo.base64Credential(clock.instant().plus(certificateLifetime))))
            .build();
      }
    });
  }

  private MondooWifConfig config() throws Exception {
    return MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(sts.url("/").toString())
        .azureResource(RESOURCE)
        .build();
  }

  private RefreshingCredentialSource source(CredentialProvider provider) throws Exception {
    MondooWifConfig config = config();
    ProviderRuntime runtime = ProviderRuntime.builder(config)
        .env(Map.of("MSI_ENDPOINT", azure.url("/oauth2/token").toString()))
        .clock(clock)
        .sleeper(d -> {})
        .retryPolicy(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1),
            Duration.ofMillis(1), Duration.ofMillis(1)))
        .build();
    // One attempt per exchange, so each engine attempt is exactly one request at the STS.
    StsClient stsClient = new StsClient(HttpClients.sts(Duration.ofSeconds(5)), d -> {}, clock, () -> 0.5, 1,
        Duration.ofMillis(1), Duration.ofMillis(1));
    CredentialExchange exchange = new CredentialExchange(runtime, ProviderRegistry.of(List.of(provider)), stsClient);
    return RefreshingCredentialSource.builder(new TokenReusingExchanger(exchange, new SubjectTokenCache(clock)))
        .name("servers")
        .clock(clock)
        .scheduler(scheduler)
        .random(() -> 0.5)
        .waitTimeout(Duration.ofSeconds(5))
        .providerName(exchange::providerName)
        .build();
  }

  @Test
  void outageThenRecovery_backoffBoundsStsRequestsAndOldCredentialIsServedThroughout() throws Exception {
    RefreshingCredentialSource source = source(new CloudShellProvider());
    MondooCredential first = source.get();
    assertThat(azure.getRequestCount()).isEqualTo(1);
    assertThat(sts.getRequestCount()).isEqualTo(1);

    stsStatus = 503;
    long outageStart = source.staleAtMillis();
    for (int s = 0; s <= 60; s++) {
      scheduler.advanceTo(outageStart + s * 1000L);
      for (int caller = 0; caller < 10; caller++) {
        assertThat(source.get()).isSameAs(first);
      }
    }
    // Random 0.5: attempts at +0, +0.5, +1.5, +3.5, +7.5, +15.5, +31.5 s. 610 get() calls, 7 requests.
    assertThat(sts.getRequestCount()).isEqualTo(1 + 7);
    assertThat(source.status().consecutiveFailures).isEqualTo(7);
    assertThat(source.status().lastError).contains("HTTP 503");

    stsStatus = 200;
    scheduler.advanceTo(scheduler.nextTimerAt());

    MondooCredential second = source.get();
    assertThat(second).isNotSameAs(first);
    assertThat(second.expiresAt()).isAfter(first.expiresAt());
    assertThat(sts.getRequestCount()).isEqualTo(1 + 7 + 1);
    // The 24-hour Azure token was reused for every exchange: IMDS saw one request.
    assertThat(azure.getRequestCount()).isEqualTo(1);

    RecordedRequest exchange = lastRequest(sts);
    assertThat(exchange.getMethod()).isEqualTo("POST");
    assertThat(exchange.getUrl().encodedPath()).isEqualTo(StsClient.PATH);
    assertThat(exchange.getBody().utf8()).contains("\"jwt_token\":\"" + AZURE_TOKEN + "\"");
  }

  @Test
  void outageOutlastsCredential_neverServesExpiredAndRetriesAtMostEveryThirtySeconds() throws Exception {
    RefreshingCredentialSource source = source(new CloudShellProvider());
    source.get();
    long expiredAt = source.expiredAtMillis();
    stsStatus = 503;
    scheduler.advanceTo(expiredAt);
    int atExpiry = sts.getRequestCount();

    for (int s = 1; s <= 300; s++) {
      scheduler.advanceTo(expiredAt + s * 1000L);
      assertThatThrownBy(source::get).isInstanceOf(CredentialUnavailableException.class)
          .hasCauseInstanceOf(ExchangeException.class);
    }

    // Five minutes past expiry with the 30 s cap (random 0.5: every 15 s): 20 requests, not 300.
    assertThat(sts.getRequestCount() - atExpiry).isBetween(19, 21);
  }

  @Test
  void refreshes_azureTokenValidForHours_isFetchedOnceForManyExchanges() throws Exception {
    RefreshingCredentialSource source = source(new CloudShellProvider());
    source.get();

    for (int i = 0; i < 3; i++) {
      scheduler.advanceTo(source.staleAtMillis());
    }

    assertThat(source.status().refreshCount).isEqualTo(4);
    assertThat(sts.getRequestCount()).isEqualTo(4);
    assertThat(azure.getRequestCount()).isEqualTo(1);
  }

  @Test
  void refresh_stsRefusesReusedToken_fetchesNewTokenForNextAttempt() throws Exception {
    RefreshingCredentialSource source = source(new CloudShellProvider());
    source.get();

    stsStatus = 401;
    scheduler.advanceTo(source.staleAtMillis());
    assertThat(source.status().consecutiveFailures).isEqualTo(1);
    stsStatus = 200;
    scheduler.advanceTo(scheduler.nextTimerAt());

    assertThat(source.status().consecutiveFailures).isZero();
    assertThat(azure.getRequestCount()).isEqualTo(2);
    assertThat(sts.getRequestCount()).isEqualTo(3);
  }

  @Test
  void refresh_tokenNotReusable_isFetchedForEveryExchange() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    CredentialProvider fileLike = new CredentialProvider() {
      @Override
      public String name() {
        return "file-like";
      }

      @Override
      public Applicability applicability(ProviderContext context) {
        return Applicability.applicable("test");
      }

      @Override
      public SubjectToken fetchToken(ProviderContext context) {
        fetches.incrementAndGet();
        return SubjectToken.of(AZURE_TOKEN, T0.plus(Duration.ofHours(24))).notReusable();
      }
    };
    RefreshingCredentialSource source = source(fileLike);
    source.get();

    scheduler.advanceTo(source.staleAtMillis());
    scheduler.advanceTo(source.staleAtMillis());

    assertThat(sts.getRequestCount()).isEqualTo(3);
    assertThat(fetches.get()).isEqualTo(3);
  }

  @Test
  void exchange_certificateAlreadyExpired_servedForConfiguredLifetimeAndWarnedOnceNotPerRefresh() throws Exception {
    certificateLifetime = Duration.ofMinutes(-5);
    RefreshingCredentialSource source = source(new CloudShellProvider());
    try (LogCapture log = new LogCapture()) {
      MondooCredential first = source.get();
      scheduler.advanceTo(source.staleAtMillis());
      scheduler.advanceTo(source.staleAtMillis());

      assertThat(first.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(source.status().refreshCount).isEqualTo(3);
      assertThat(log.messages(java.util.logging.Level.WARNING)).singleElement().asString()
          .contains("certificate expired at " + T0.minus(Duration.ofMinutes(5)), "the host's clock is probably ahead",
              "mondoo.wif.credential-lifetime = 1h (default)");
    }
  }

  @Test
  void close_afterFirstCredential_noFurtherRequestsEver() throws Exception {
    RefreshingCredentialSource source = source(new CloudShellProvider());
    source.get();

    source.close();
    scheduler.advance(Duration.ofHours(48));

    assertThat(azure.getRequestCount()).isEqualTo(1);
    assertThat(sts.getRequestCount()).isEqualTo(1);
  }

  private static RecordedRequest lastRequest(MockWebServer server) throws InterruptedException {
    RecordedRequest last = null;
    for (int i = 0; i < server.getRequestCount(); i++) {
      RecordedRequest r = server.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
      if (r != null) {
        last = r;
      }
    }
    return last;
  }
}
