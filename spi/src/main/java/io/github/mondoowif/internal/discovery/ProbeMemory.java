package io.github.mondoowif.internal.discovery;

import io.github.mondoowif.spi.Applicability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * The last answer of a network probe (is there a metadata server at this host?), remembered for a short
 * while and never for good: the endpoint may appear later, and asking again on every selection would
 * cost a second each time it is absent. Thread-safe. Internal.
 */
public final class ProbeMemory {
  /** How long an answer, positive or negative, is reused. */
  public static final Duration MEMORY = Duration.ofSeconds(30);

  private volatile Entry last;

  private static final class Entry {
    final String host;
    final Instant at;
    final Applicability result;

    Entry(String host, Instant at, Applicability result) {
      this.host = host;
      this.at = at;
      this.result = result;
    }
  }

  /** The remembered answer for {@code host}, or a new one from {@code probe}. */
  public Applicability answer(String host, Clock clock, Function<String, Applicability> probe) {
    Instant now = Instant.now(clock);
    Entry e = last;
    if (e != null && e.host.equals(host) && Duration.between(e.at, now).compareTo(MEMORY) < 0) {
      return e.result;
    }
    Applicability result = probe.apply(host);
    last = new Entry(host, now, result);
    return result;
  }
}
