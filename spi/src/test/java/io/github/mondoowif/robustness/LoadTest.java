package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.refresh.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 500 application threads call {@code get()} through two minutes of fake time while the STS alternates
 * between working (20 s) and failing (40 s). Credentials live 60 s, so refreshes failing while the old
 * credential is served, its expiry, backoff with nothing to serve, and recovery all happen. Time moves in half-second steps only while every caller is parked at a
 * barrier, so each call sees one clock reading and the checks are exact.
 */
@ExtendWith(Witness.Extension.class)
class LoadTest {
  private static final int THREADS = 500;
  private static final int CALLS_PER_STEP = 3;
  private static final Duration STEP = Duration.ofMillis(500);
  private static final Duration RUN = Duration.ofMinutes(2);
  /** Every minute the STS works for 20 s, then fails for 40 s: longer than the 15 s from stale to expired. */
  private static final long PERIOD_MILLIS = 60_000;
  private static final long WORKING_MILLIS = 20_000;

  @StartStop final MockWebServer metadata = NoDelay.server();
  @StartStop final MockWebServer mondoo = NoDelay.server();

  private final FakeClock clock = new FakeClock(Planted.T0);

  /** A credential as it was handed to listeners, with the fake time it arrived. */
  private static final class Delivered {
    final MondooCredential credential;
    final long at;

    Delivered(MondooCredential credential, long at) {
      this.credential = credential;
      this.at = at;
    }
  }

  private boolean stsFailing() {
    return (clock.millis() - Planted.T0.toEpochMilli()) % PERIOD_MILLIS >= WORKING_MILLIS;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fiveHundredThreads_stsFlapping_neverThrowWhileValid_neverServeExpired_requestsBounded() throws Exception {
    FakeEndpoint azure = new FakeEndpoint(metadata, clock);
    FakeSts sts = new FakeSts(mondoo, clock);
    sts.lifetime = Duration.ofSeconds(60);
    sts.answer(r -> stsFailing() ? FakeSts.rpcError(503, 14, "flapping") : sts.issue());

    try (Stack s = Stack.builder(clock, sts).env(Stack.appService(azure)).stsAttempts(1).build()) {
      List<Delivered> delivered = new CopyOnWriteArrayList<>();
      s.source.addListener(new CredentialListener() {
        @Override
        public void onCredential(MondooCredential credential) {
          delivered.add(new Delivered(credential, clock.millis()));
        }

        @Override
        public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {}
      });

      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> failureMessages = new ConcurrentLinkedQueue<>();
      AtomicLong served = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      int steps = (int) (RUN.toMillis() / STEP.toMillis());
      Phaser phaser = new Phaser(THREADS + 1);

      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        Thread t = new Thread(() -> {
          for (int step = 0; step < steps; step++) {
            for (int call = 0; call < CALLS_PER_STEP; call++) {
              long now = clock.millis();
              int known = delivered.size();
              try {
                MondooCredential c = s.source.get();
                served.incrementAndGet();
                if (now >= Stack.expiredAt(c)) {
                  violations.add("served a credential past its expired point at " + now + ": " + c);
                }
              } catch (CredentialUnavailableException e) {
                refused.incrementAndGet();
                if (failureMessages.size() < 50) {
                  failureMessages.add(e.getMessage());
                }
                for (int j = 0; j < known; j++) {
                  Delivered d = delivered.get(j);
                  if (now < Stack.expiredAt(d.credential)) {
                    violations.add("threw at " + now + " while " + d.credential + " was valid: " + e.getMessage());
                  }
                }
              } catch (Throwable e) {
                violations.add("unexpected " + e);
              }
            }
            phaser.arriveAndAwaitAdvance(); // calls of this step done
            phaser.arriveAndAwaitAdvance(); // time moved
          }
        }, "load-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }

      for (int step = 0; step < steps; step++) {
        phaser.arriveAndAwaitAdvance();
        s.scheduler.advance(STEP);
        phaser.arriveAndAwaitAdvance();
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }

      failureMessages.forEach(Witness::text);
      assertThat(violations).isEmpty();
      assertThat(served.get() + refused.get()).isEqualTo((long) THREADS * steps * CALLS_PER_STEP);
      assertThat(served.get()).as("most calls are served").isGreaterThan(refused.get() * 4);
      assertThat(refused.get()).as("the outage outlasted a credential once").isPositive();
      assertThat(failureMessages).allSatisfy(m -> assertThat(m).contains("flapping").contains("HTTP 503"));

      // The STS saw attempts, not callers: a refresh at each stale point (45 s after each credential, at
      // random 0.5), then backoff after each failure: at least 0.5 s, doubling, capped by a quarter of what
      // the held credential has left (so several attempts fit before it expires) or by 30 s (15 s at
      // random 0.5) with nothing held. At random 0.5 that is 27 requests in the two minutes.
      List<FakeSts.Hit> hits = sts.hits();
      assertThat(hits.size()).isBetween(20, 35);
      for (int i = 1; i < hits.size(); i++) {
        FakeSts.Hit previous = hits.get(i - 1);
        Duration gap = Duration.between(previous.at, hits.get(i).at);
        assertThat(gap).as("gap after %s", previous)
            .isGreaterThanOrEqualTo(previous.status == 200 ? Duration.ofSeconds(40) : Duration.ofMillis(500));
      }
      assertThat(delivered).as("the first credential and the one after the outage").hasSize(2);
      assertThat(azure.count()).as("one day-long Azure token serves every exchange").isEqualTo(1);
    }
  }
}
