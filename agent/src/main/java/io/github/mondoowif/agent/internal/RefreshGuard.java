package io.github.mondoowif.agent.internal;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.http.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Belt and braces for "the credential stays valid for as long as the JVM lives". The engine refreshes on
 * its own schedule and the agent normally only listens; this guard steps in only when the engine has gone
 * quiet: when the published credential is close to expiry and nothing replaced it, or when no credential
 * has arrived at all. It then asks the engine for one ({@code credential(maxWait)}), which costs nothing
 * when the engine already holds a fresh credential and makes it exchange when it does not. Failures are
 * retried with jittered exponential backoff and reported to the outputs. Internal.
 *
 * <p>Its point is deliberately late (a fraction of the lifetime before expiry, inside the engine's own
 * refresh window), so a healthy engine always gets there first.
 */
final class RefreshGuard implements CredentialListener {
  /** The engine call the guard makes; {@code MondooCredentials::credential}. */
  @FunctionalInterface
  interface Engine {
    MondooCredential credential(Duration maxWait) throws MondooWifException;
  }

  static final Duration BACKOFF_BASE = Duration.ofSeconds(2);
  static final Duration BACKOFF_CAP = Duration.ofMinutes(5);
  static final Duration BACKOFF_FLOOR = Duration.ofMillis(500);

  private final Engine engine;
  private final CredentialListener outputs;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Duration maxWait;
  private final ScheduledExecutorService timer;
  private final Object lock = new Object();

  private MondooCredential latest;
  private ScheduledFuture<?> pending;
  private int failures;
  private volatile boolean closed;

  RefreshGuard(Engine engine, CredentialListener outputs, Clock clock, DoubleSupplier random, Duration maxWait) {
    this.engine = engine;
    this.outputs = outputs;
    this.clock = clock;
    this.random = random;
    this.maxWait = maxWait;
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "mondoo-wif-agent-refresh-guard");
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  /**
   * When the guard looks at {@code c} again: {@code min(L/10, 60 s) × 3/4} before its expiry, L its lifetime.
   * The engine's own refresh point is earlier, so this is later than any healthy refresh.
   */
  static Instant guardPoint(MondooCredential c) {
    Duration tenth = c.lifetime().dividedBy(10);
    Duration margin = tenth.compareTo(Duration.ofSeconds(60)) < 0 ? tenth : Duration.ofSeconds(60);
    return c.expiresAt().minus(margin.multipliedBy(3).dividedBy(4));
  }

  @Override
  public void onCredential(MondooCredential credential) {
    synchronized (lock) {
      if (latest != null && latest.base64Config().equals(credential.base64Config())) {
        return;
      }
      latest = credential;
      failures = 0;
      schedule(Duration.between(clock.instant(), guardPoint(credential)));
    }
  }

  @Override
  public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {
    synchronized (lock) {
      // No credential yet and the engine reported a failure: make sure somebody tries again. With a
      // credential, the look at its guard point is already scheduled.
      if (latest == null && (pending == null || pending.isDone())) {
        schedule(backoff(Math.max(1, consecutiveFailures)));
      }
    }
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    long ms = Math.max(0, delay.toMillis());
    pending = timer.schedule(this::check, ms, TimeUnit.MILLISECONDS);
  }

  private Duration backoff(int n) {
    Duration d = Backoff.fullJitter(n, BACKOFF_BASE, BACKOFF_CAP, random);
    return d.compareTo(BACKOFF_FLOOR) < 0 ? BACKOFF_FLOOR : d;
  }

  /** Runs on the guard's thread. */
  void check() {
    MondooCredential seen;
    synchronized (lock) {
      seen = latest;
      if (seen != null) {
        Instant now = clock.instant();
        Instant point = guardPoint(seen);
        if (now.isBefore(point)) {
          schedule(Duration.between(now, point)); // woke early (a clock step): not time yet
          return;
        }
      }
    }
    try {
      MondooCredential c = engine.credential(maxWait);
      if (seen != null && c.base64Config().equals(seen.base64Config())) {
        // The engine still serves the old one (its refresh is failing or in flight): look again soon.
        synchronized (lock) {
          failures++;
          schedule(backoff(failures));
        }
        return;
      }
      outputs.onCredential(c);
      onCredential(c);
    } catch (MondooWifException | RuntimeException e) {
      MondooWifException error = e instanceof MondooWifException ? (MondooWifException) e
          : new MondooWifException("the refresh failed unexpectedly: " + e.getClass().getName(), e);
      int n;
      synchronized (lock) {
        failures++;
        n = failures;
        schedule(backoff(n));
      }
      boolean valid = seen != null && clock.instant().isBefore(seen.expiresAt());
      outputs.onRefreshFailure(error, n, valid);
    }
  }

  void close() {
    closed = true;
    timer.shutdownNow();
  }
}
