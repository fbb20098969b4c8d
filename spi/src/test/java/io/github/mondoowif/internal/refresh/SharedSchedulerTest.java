package io.github.mondoowif.internal.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedSchedulerTest {
  private final SharedScheduler scheduler = SharedScheduler.get();

  @Test
  void schedule_task_runsOnTheOneNamedDaemonTimerThread() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(2);

    scheduler.schedule(() -> {
      ran.set(Thread.currentThread());
      done.countDown();
    }, 0);
    AtomicReference<Thread> second = new AtomicReference<>();
    scheduler.schedule(() -> {
      second.set(Thread.currentThread());
      done.countDown();
    }, 10);

    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get().getName()).isEqualTo(SharedScheduler.TIMER_THREAD);
    assertThat(ran.get().isDaemon()).isTrue();
    assertThat(second.get()).isSameAs(ran.get());
  }

  @Test
  void execute_exchange_runsOnNamedDaemonExchangeThreadNotTheTimer() throws Exception {
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);

    scheduler.execute(() -> {
      ran.set(Thread.currentThread());
      done.countDown();
    });

    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get().getName()).startsWith(SharedScheduler.EXCHANGE_THREAD_PREFIX);
    assertThat(ran.get().isDaemon()).isTrue();
  }

  @Test
  void execute_slowExchange_doesNotDelayTimers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch timerRan = new CountDownLatch(1);
    scheduler.execute(() -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    scheduler.schedule(timerRan::countDown, 0);

    try {
      assertThat(timerRan.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void schedule_throwingTask_leavesTimerWorking() throws Exception {
    scheduler.schedule(() -> {
      throw new IllegalStateException("bug");
    }, 0);
    CountDownLatch after = new CountDownLatch(1);

    scheduler.schedule(after::countDown, 0);

    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void cancel_beforeDue_taskNeverRuns() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    RefreshScheduler.Cancellable c = scheduler.schedule(() -> ran.set(true), 200);
    CountDownLatch later = new CountDownLatch(1);

    c.cancel();
    scheduler.schedule(later::countDown, 400);

    assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).isFalse();
  }
}
