package io.github.mondoowif.internal.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many real threads against one source whose exchange is held until they all wait. */
class SingleFlightTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final ExecutorService exchanges = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    exchanges.shutdownNow();
  }

  private ScriptedExchanger.Step heldUntilReleased(ScriptedExchanger.Step then) {
    return () -> {
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new MondooWifException("test: never released");
        }
      } catch (InterruptedException e) {
        throw new MondooWifException("test: interrupted");
      }
      return then.run();
    };
  }

  private RefreshingCredentialSource source(ScriptedExchanger exchanger) {
    return RefreshingCredentialSource.builder(exchanger)
        .name("flight")
        .clock(clock)
        .scheduler(FakeScheduler.on(clock, exchanges))
        .waitTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Starts {@code n} callers, waits until every one of them is parked, then lets the exchange finish. */
  private AtomicReferenceArray<Object> callConcurrently(RefreshingCredentialSource source, int n) throws Exception {
    AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(n);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          results.set(index, source.get());
        } catch (MondooWifException | RuntimeException e) {
          results.set(index, e);
        }
      }, "caller-" + i);
      threads.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> threads.stream()
        .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING));
    release.countDown();
    for (Thread t : threads) {
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }
    return results;
  }

  @Test
  void get_fiveHundredCallersOnColdSource_oneExchangeAndAllGetItsCredential() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(
        heldUntilReleased(ScriptedExchanger.issuing(clock, Duration.ofHours(1))));
    RefreshingCredentialSource source = source(exchanger);

    AtomicReferenceArray<Object> results = callConcurrently(source, 500);

    assertThat(exchanger.calls()).isEqualTo(1);
    Object first = results.get(0);
    assertThat(first).isInstanceOf(MondooCredential.class);
    for (int i = 0; i < results.length(); i++) {
      assertThat(results.get(i)).isSameAs(first);
    }
  }

  @Test
  void get_twoHundredCallersAndExchangeFails_oneExchangeAndAllShareItsFailure() throws Exception {
    MondooWifException outage = new MondooWifException("STS unavailable");
    ScriptedExchanger exchanger = new ScriptedExchanger(heldUntilReleased(ScriptedExchanger.failing(outage)));
    RefreshingCredentialSource source = source(exchanger);

    AtomicReferenceArray<Object> results = callConcurrently(source, 200);

    assertThat(exchanger.calls()).isEqualTo(1);
    for (int i = 0; i < results.length(); i++) {
      assertThat(results.get(i)).isInstanceOf(CredentialUnavailableException.class);
      assertThat(((Throwable) results.get(i)).getCause()).isSameAs(outage);
    }
  }

  @Test
  void get_manyCallersAtStalePoint_allServedAtOnceAndOneRefresh() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, Duration.ofHours(1)));
    RefreshingCredentialSource source = source(exchanger);
    MondooCredential first = source.get();
    exchanger.then(heldUntilReleased(ScriptedExchanger.issuing(clock, Duration.ofHours(1))));
    clock.setMillis(source.staleAtMillis());

    List<Thread> threads = new ArrayList<>();
    AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(300);
    for (int i = 0; i < 300; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          results.set(index, source.get());
        } catch (MondooWifException e) {
          results.set(index, e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(10_000); // they return while the refresh is still held
    }

    for (int i = 0; i < 300; i++) {
      assertThat(results.get(i)).isSameAs(first);
    }
    assertThat(exchanger.calls()).isEqualTo(2);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> source.peek() != first);
    assertThat(exchanger.calls()).isEqualTo(2);
  }

  @Test
  void get_fromListenerWhileNothingValid_throwsAtOnceAndStartsNoAttempt() throws Exception {
    MondooWifException outage = new MondooWifException("down");
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.failing(outage));
    RefreshingCredentialSource source = RefreshingCredentialSource.builder(exchanger)
        .clock(clock)
        .scheduler(FakeScheduler.on(clock, exchanges))
        .random(() -> 0.0) // no backoff at all: only the guard stops a second attempt
        .waitTimeout(Duration.ofSeconds(10))
        .build();
    java.util.concurrent.atomic.AtomicReference<Throwable> fromListener = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicLong listenerNanos = new java.util.concurrent.atomic.AtomicLong();
    source.addListener(new io.github.mondoowif.CredentialListener() {
      @Override
      public void onCredential(MondooCredential credential) {}

      @Override
      public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {
        long started = System.nanoTime();
        try {
          source.get();
        } catch (MondooWifException | RuntimeException e) {
          fromListener.compareAndSet(null, e);
        }
        listenerNanos.set(System.nanoTime() - started);
      }
    });

    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(source::get);

    assertThat(thrown).isInstanceOf(CredentialUnavailableException.class).hasCause(outage);
    await().atMost(Duration.ofSeconds(5)).until(() -> fromListener.get() != null);
    assertThat(fromListener.get()).isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("listener must not wait");
    assertThat(Duration.ofNanos(listenerNanos.get())).isLessThan(Duration.ofSeconds(2));
    assertThat(exchanger.calls()).isEqualTo(1);
  }
}
