package io.github.mondoowif.internal.http;

import java.time.Duration;

/** Waits between retries; tests inject one that records instead of waiting. Internal. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
