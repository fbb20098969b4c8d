package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.MondooApiClient;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooRequestSigner;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.azure.AppServiceProvider;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The host's wall clock jumps: forward an hour, then back. Driven through the public facade with its
 * injected clock; refreshes run on the real shared threads. Mondoo keeps its own clock: either true time
 * (the host's clock was wrong and is corrected) or the same jump (the whole world moved, as after a
 * suspended VM resumes). Either way the application must never be handed a credential past its expiry,
 * and the jump must not set off a burst of requests.
 */
@ExtendWith(Witness.Extension.class)
class TimeFaultsTest {
  @StartStop final MockWebServer metadata = NoDelay.server();
  @StartStop final MockWebServer mondoo = NoDelay.server();

  private final FakeClock host = new FakeClock(Planted.T0);
  private FakeEndpoint azure;

  @BeforeEach
  void fakes() {
    azure = new FakeEndpoint(metadata, host);
  }

  private MondooCredentials facade(FakeSts sts) throws Exception {
    MondooWifConfig config = MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(sts.universe())
        .azureResource(Planted.RESOURCE)
        .build();
    return MondooCredentials.builder()
        .config(config)
        .clock(host)
        .environment(Stack.appService(azure))
        .providers(List.of(new AppServiceProvider()))
        .name("time-faults")
        .build();
  }

  /** A credential the application may use at {@code now}: inside its own validity and its certificate's. */
  private static void assertUsable(MondooCredential c, Instant now) {
    assertThat(now.toEpochMilli()).as("before the engine's expired point").isLessThan(Stack.expiredAt(c));
    assertThat(c.certificate().getNotAfter().toInstant()).as("certificate not yet expired").isAfter(now);
  }

  /** Waits until no refresh is running (the facade's status says so), so that time moves only between them. */
  private static void awaitIdle(MondooCredentials credentials) {
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
        .until(() -> credentials.toString().contains("refreshing=false"));
  }

  @Test
  void hostClockJumpsAheadAnHourThenIsCorrected_expiredCertificateNeverServed_fewRequests() throws Exception {
    FakeClock world = new FakeClock(Planted.T0);
    FakeSts sts = new FakeSts(mondoo, world);
    try (MondooCredentials credentials = facade(sts); Witness.LogTap log = new Witness.LogTap()) {
      MondooCredential a = credentials.credential();
      assertUsable(a, host.instant());

      host.advance(Duration.ofHours(1));
      MondooCredential b = credentials.credential();
      assertThat(b).isNotSameAs(a);
      assertThat(b.expiresAt()).isAfter(host.instant());
      assertThat(sts.count()).isEqualTo(2);
      // Mondoo's certificate ends at the host's "now": the configured lifetime stands in, and the log
      // says the host's clock may be wrong.
      assertThat(log.texts).anySatisfy(l -> assertThat(l).startsWith("WARNING").contains("clock"));

      host.setMillis(world.millis());
      assertUsable(credentials.credential(), host.instant());
      awaitIdle(credentials);
      assertThat(sts.count()).as("the correction sets off one refresh").isEqualTo(3);
      assertThat(credentials.peek().orElseThrow()).isNotSameAs(b);

      for (int minute = 0; minute <= 120; minute++) {
        Instant now = host.instant();
        MondooCredential c = credentials.credential();
        assertUsable(c, now);
        awaitIdle(credentials);
        host.advance(Duration.ofMinutes(1));
        world.advance(Duration.ofMinutes(1));
      }

      // a, b, the one after the correction, then one every 40 to 50 minutes for two hours.
      assertThat(sts.count()).isBetween(5, 7);
      assertThat(azure.count()).as("the day-long Azure token is reused across the jumps").isEqualTo(1);
      Witness.observe(credentials);
      Witness.observe(MondooRequestSigner.create(credentials));
      Witness.observe(MondooApiClient.create(credentials));
      Witness.mxbeans("time-faults");
    }
  }

  @Test
  void wholeWorldJumpsAheadAnHourThenBack_neverServesExpired_refreshesOnceAfterEachJump() throws Exception {
    FakeSts sts = new FakeSts(mondoo, host);
    try (MondooCredentials credentials = facade(sts)) {
      MondooCredential a = credentials.credential();

      host.advance(Duration.ofHours(1));
      assertThat(credentials.peek()).as("the old credential is past its expiry now").isEmpty();
      MondooCredential b = credentials.credential();
      assertThat(b).isNotSameAs(a);
      assertUsable(b, host.instant());
      assertThat(sts.count()).isEqualTo(2);

      host.advance(Duration.ofHours(-1));
      MondooCredential c = credentials.credential();
      assertThat(c.expiresAt()).isAfter(host.instant());
      awaitIdle(credentials);
      assertThat(sts.count()).as("the jump back sets off one refresh").isEqualTo(3);
      MondooCredential d = credentials.credential();
      assertThat(d.obtainedAt()).isEqualTo(host.instant());

      for (int i = 0; i < 100; i++) {
        assertThat(credentials.credential()).isSameAs(d);
      }
      assertThat(sts.count()).isEqualTo(3);
      Witness.observe(credentials);
    }
  }
}
