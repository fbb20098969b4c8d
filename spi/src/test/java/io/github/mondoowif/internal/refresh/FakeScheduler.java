package io.github.mondoowif.internal.refresh;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A {@link RefreshScheduler} on a {@link FakeClock}: timers run on the test thread when the test advances
 * time, at their due instant and in order. Exchanges run inline, on a given executor, or wait in a queue
 * until {@link #runQueued()}.
 */
public final class FakeScheduler implements RefreshScheduler {
  private final FakeClock clock;
  private final Executor executor; // null: queue
  private final List<Timer> timers = new ArrayList<>();
  private final Deque<Runnable> queued = new ArrayDeque<>();
  private long sequence;

  private FakeScheduler(FakeClock clock, Executor executor) {
    this.clock = clock;
    this.executor = executor;
  }

  /** Exchanges run on the calling thread, at once. */
  public static FakeScheduler inline(FakeClock clock) {
    return new FakeScheduler(clock, Runnable::run);
  }

  /** Exchanges wait until {@link #runQueued()}. */
  public static FakeScheduler queued(FakeClock clock) {
    return new FakeScheduler(clock, null);
  }

  /** Exchanges run on {@code executor} (real threads); timers stay fake. */
  public static FakeScheduler on(FakeClock clock, Executor executor) {
    return new FakeScheduler(clock, executor);
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    Timer t;
    synchronized (this) {
      t = new Timer(clock.millis() + Math.max(0, delayMillis), sequence++, task);
      timers.add(t);
    }
    return () -> {
      synchronized (this) {
        timers.remove(t);
      }
    };
  }

  @Override
  public void execute(Runnable exchange) {
    if (executor == null) {
      synchronized (this) {
        queued.add(exchange);
      }
    } else {
      executor.execute(exchange);
    }
  }

  /** Moves the clock forward by {@code d}, running every timer that falls due on the way, at its instant. */
  public void advance(Duration d) {
    advanceTo(clock.millis() + d.toMillis());
  }

  public void advanceTo(long targetMillis) {
    while (true) {
      Timer next;
      synchronized (this) {
        next = timers.stream().filter(t -> t.due <= targetMillis)
            .min(Comparator.comparingLong((Timer t) -> t.due).thenComparingLong(t -> t.seq)).orElse(null);
        if (next == null) {
          break;
        }
        timers.remove(next);
      }
      if (next.due > clock.millis()) {
        clock.setMillis(next.due);
      }
      next.task.run();
    }
    if (targetMillis > clock.millis()) {
      clock.setMillis(targetMillis);
    }
  }

  /** Runs the queued exchanges; returns how many ran. */
  public int runQueued() {
    int n = 0;
    while (true) {
      Runnable r;
      synchronized (this) {
        r = queued.poll();
      }
      if (r == null) {
        return n;
      }
      r.run();
      n++;
    }
  }

  public synchronized int queuedExchanges() {
    return queued.size();
  }

  public synchronized int pendingTimers() {
    return timers.size();
  }

  /** The due instant of the earliest timer, or {@code Long.MAX_VALUE}. */
  public synchronized long nextTimerAt() {
    return timers.stream().mapToLong(t -> t.due).min().orElse(Long.MAX_VALUE);
  }

  private static final class Timer {
    final long due;
    final long seq;
    final Runnable task;

    Timer(long due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }
  }
}
