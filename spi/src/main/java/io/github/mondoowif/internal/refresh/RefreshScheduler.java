package io.github.mondoowif.internal.refresh;

/**
 * Where the engine's timers and exchanges run. Production uses {@link SharedScheduler}; tests use a fake
 * one that runs due timers when they advance a fake clock, so nothing ever sleeps. Internal, may change.
 */
public interface RefreshScheduler {

  /** Runs {@code task} once after {@code delayMillis} (0 or less: as soon as possible). */
  Cancellable schedule(Runnable task, long delayMillis);

  /** Runs one exchange. It may block on I/O, bounded by the exchange's own timeouts. */
  void execute(Runnable exchange);

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    Cancellable NONE = () -> {};

    void cancel();
  }
}
