package io.github.mondoowif.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.internal.refresh.FakeScheduler;
import io.github.mondoowif.internal.refresh.RefreshScheduler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class StatusMBeansTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final FakeScheduler scheduler = FakeScheduler.inline(clock);

  @Test
  void publish_onCallerThread_onlySchedulesWork() {
    Publication p = StatusMBeans.publish("deferred-1", () -> null, scheduler);

    assertThat(scheduler.pendingTimers()).isEqualTo(1);
    assertThat(p.objectName()).isNull();
  }

  @Test
  void publish_whenItsTurnComes_registersWithPlatformServerInUse() throws Exception {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    Publication p = StatusMBeans.publish("deferred-2", () -> null, scheduler);

    scheduler.advance(Duration.ZERO);

    ObjectName name = new ObjectName("io.github.mondoowif:type=Credential,name=deferred-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> platform.isRegistered(name));
    assertThat(p.objectName()).isEqualTo(name.toString());
    p.withdraw();
    assertThat(platform.isRegistered(name)).isFalse();
  }

  @Test
  void publish_withdrawnBeforeItsTurn_neverRegisters() throws Exception {
    MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
    Publication p = StatusMBeans.publish("deferred-3", () -> null, scheduler);

    p.withdraw();
    scheduler.advance(Duration.ZERO);

    ObjectName name = new ObjectName("io.github.mondoowif:type=Credential,name=deferred-3");
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !platform.isRegistered(name));
    assertThat(p.objectName()).isNull();
  }

  @Test
  void publish_schedulerRefuses_returnsNothingPublishedWithoutThrowing() {
    RefreshScheduler refusing = new RefreshScheduler() {
      @Override
      public Cancellable schedule(Runnable task, long delayMillis) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }

      @Override
      public void execute(Runnable exchange) {}
    };

    Publication p = StatusMBeans.publish("deferred-4", () -> null, refusing);

    assertThat(p).isSameAs(Publication.NONE);
  }
}
