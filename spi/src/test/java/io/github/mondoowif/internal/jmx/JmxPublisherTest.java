package io.github.mondoowif.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.internal.refresh.FakeScheduler;
import io.github.mondoowif.internal.refresh.RefreshingCredentialSource;
import io.github.mondoowif.testing.FakeMondoo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JmxPublisherTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeClock clock = new FakeClock(T0);
  private final FakeScheduler scheduler = FakeScheduler.inline(clock);
  // Not in MBeanServerFactory's list: invisible to the real lookup, and nothing to release.
  private final MBeanServer server = MBeanServerFactory.newMBeanServer();

  private RefreshingCredentialSource source(String base64) {
    return RefreshingCredentialSource.builder(
            () -> MondooCredential.parse(base64, "azure-imds", clock.instant(), Duration.ofHours(1)))
        .name("space-1")
        .clock(clock)
        .scheduler(scheduler)
        .random(() -> 0.5)
        .providerName(() -> "azure-imds")
        .build();
  }

  @Test
  void publish_serverInUse_registersStatusAttributes() throws Exception {
    String base64 = FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1)));
    RefreshingCredentialSource source = source(base64);
    MondooCredential credential = source.get();
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> server);

    Publication p = publisher.add("space-1", source::status);
    scheduler.advance(Duration.ZERO);

    ObjectName name = new ObjectName("io.github.mondoowif:type=Credential,name=space-1");
    assertThat(p.objectName()).isEqualTo(name.toString());
    assertThat(server.getAttribute(name, "Name")).isEqualTo("space-1");
    assertThat(server.getAttribute(name, "Provider")).isEqualTo("azure-imds");
    assertThat(server.getAttribute(name, "State")).isEqualTo("FRESH");
    assertThat(server.getAttribute(name, "ExpiresAt")).isEqualTo(credential.expiresAt().toString());
    assertThat(server.getAttribute(name, "LastSuccessfulRefresh")).isEqualTo(T0.toString());
    assertThat(server.getAttribute(name, "NextPlannedRefresh"))
        .isEqualTo(Instant.ofEpochMilli(source.status().nextPlannedRefresh.toEpochMilli()).toString());
    assertThat(server.getAttribute(name, "ConsecutiveFailures")).isEqualTo(0);
    assertThat(server.getAttribute(name, "LastError")).isNull();
    assertThat(server.getAttribute(name, "RefreshCount")).isEqualTo(1L);
    assertThat(server.getAttribute(name, "Refreshing")).isEqualTo(false);
    assertThat(server.getAttribute(name, "Fingerprint")).isEqualTo(credential.fingerprint());
  }

  @Test
  void attributes_afterFailureEchoingSecrets_containNoSecret() throws Exception {
    String base64 = FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1)));
    String jwt = FakeMondoo.azureToken("api://x", T0.plus(Duration.ofHours(24)));
    AtomicReference<Boolean> failing = new AtomicReference<>(false);
    RefreshingCredentialSource source = RefreshingCredentialSource.builder(() -> {
          if (failing.get()) {
            throw new MondooWifException("proxy said: bad token " + jwt + " for credential " + base64);
          }
          return MondooCredential.parse(base64, "azure-imds", clock.instant(), Duration.ofHours(1));
        })
        .name("space-1").clock(clock).scheduler(scheduler).random(() -> 0.5).build();
    MondooCredential credential = source.get();
    failing.set(true);
    scheduler.advanceTo(source.status().nextPlannedRefresh.toEpochMilli());
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> server);
    publisher.add("space-1", source::status);
    scheduler.advance(Duration.ZERO);
    ObjectName name = new ObjectName("io.github.mondoowif:type=Credential,name=space-1");

    assertThat(server.getAttribute(name, "ConsecutiveFailures")).isEqualTo(1);
    assertThat((String) server.getAttribute(name, "LastError")).contains("bad token", "redacted");
    String privateKeyBody =
        java.util.Base64.getEncoder().encodeToString(credential.privateKey().getEncoded()).substring(0, 40);
    for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
      String value = String.valueOf(server.getAttribute(name, a.getName()));
      assertThat(value).as(a.getName())
          .doesNotContain(jwt)
          .doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1))
          .doesNotContain(base64)
          .doesNotContain(base64.substring(0, 60))
          .doesNotContain(privateKeyBody);
    }
  }

  @Test
  void publish_sameNameTwice_secondGetsUniqueName() throws Exception {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> server);

    Publication a = publisher.add("default", source::status);
    Publication b = publisher.add("default", source::status);
    scheduler.advance(Duration.ZERO);

    assertThat(a.objectName()).isEqualTo("io.github.mondoowif:type=Credential,name=default");
    assertThat(b.objectName()).isEqualTo("io.github.mondoowif:type=Credential,name=default-2");
    assertThat(server.isRegistered(new ObjectName(b.objectName()))).isTrue();
  }

  @Test
  void publish_nameWithSpecialCharacters_isMadeSafe() {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> server);

    Publication p = publisher.add("a,b=c:d*\"e", source::status);
    scheduler.advance(Duration.ZERO);

    assertThat(p.objectName()).isEqualTo("io.github.mondoowif:type=Credential,name=a_b_c_d__e");
  }

  @Test
  void withdraw_registered_unregistersAndFreesName() throws Exception {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> server);
    Publication p = publisher.add("space-1", source::status);
    scheduler.advance(Duration.ZERO);
    ObjectName name = new ObjectName(p.objectName());

    p.withdraw();
    p.withdraw();

    assertThat(server.isRegistered(name)).isFalse();
    assertThat(p.objectName()).isNull();
  }

  @Test
  void publish_noServerInUseYet_registersOnLaterCheckWithoutCreatingOne() throws Exception {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    AtomicReference<MBeanServer> inUse = new AtomicReference<>();
    JmxPublisher publisher = new JmxPublisher(scheduler, inUse::get);

    Publication p = publisher.add("space-1", source::status);
    scheduler.advance(Duration.ZERO);
    assertThat(p.objectName()).isNull();

    inUse.set(server);
    scheduler.advance(Duration.ofSeconds(JmxPublisher.RECHECK_SECONDS));

    assertThat(p.objectName()).isEqualTo("io.github.mondoowif:type=Credential,name=space-1");
    assertThat(scheduler.pendingTimers()).isZero();
  }

  @Test
  void publish_withdrawnBeforeServerAppears_neverRegisters() {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    AtomicReference<MBeanServer> inUse = new AtomicReference<>();
    JmxPublisher publisher = new JmxPublisher(scheduler, inUse::get);
    Publication p = publisher.add("space-1", source::status);
    scheduler.advance(Duration.ZERO);

    p.withdraw();
    inUse.set(server);
    scheduler.advance(Duration.ofSeconds(JmxPublisher.RECHECK_SECONDS));

    assertThat(server.queryNames(null, null)).noneMatch(n -> n.getDomain().equals(JmxPublisher.DOMAIN));
  }

  @Test
  void publish_jmxUnavailable_neverThrowsAndPublishesNothing() {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    JmxPublisher publisher = new JmxPublisher(scheduler, () -> {
      throw new NoClassDefFoundError("javax/management/MBeanServer");
    });

    Publication p = publisher.add("space-1", source::status);
    assertThatCode(() -> scheduler.advance(Duration.ofMinutes(5))).doesNotThrowAnyException();

    assertThat(p.objectName()).isNull();
    assertThatCode(p::withdraw).doesNotThrowAnyException();
    assertThat(scheduler.pendingTimers()).isZero();
  }

  @Test
  void publish_schedulerRefuses_neverThrows() {
    RefreshingCredentialSource source = source(FakeMondoo.base64Credential(T0.plus(Duration.ofHours(1))));
    JmxPublisher publisher = new JmxPublisher(new io.github.mondoowif.internal.refresh.RefreshScheduler() {
      @Override
      public Cancellable schedule(Runnable task, long delayMillis) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }

      @Override
      public void execute(Runnable exchange) {}
    }, () -> server);

    assertThatCode(() -> publisher.add("space-1", source::status)).doesNotThrowAnyException();
  }

  @Test
  void platformServerIfInUse_afterPlatformServerCreated_returnsIt() {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

    assertThat(JmxPublisher.platformServerIfInUse()).isSameAs(platform);
  }
}
