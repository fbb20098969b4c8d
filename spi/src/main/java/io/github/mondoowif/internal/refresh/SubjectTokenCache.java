package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.spi.SubjectToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subject tokens kept for the next exchange while they have at least {@link #MIN_REMAINING} left. Azure
 * managed-identity tokens live about 24 h and IMDS throttles at 5 requests/s per VM: an hourly Mondoo
 * credential does not need a new one each hour. Tokens marked {@link SubjectToken#reusable() not reusable}
 * (read from files, which rotate underneath) and tokens without a known expiry are never kept.
 *
 * <p>Keyed by provider and resource. One cache belongs to one configuration: a shared one would have to
 * know every input that shapes a provider's token (the environment included), and a wrong key would hand
 * one identity's token to another. Time comes from the injected clock, so tests move it.
 *
 * <p>A plain map with the expiry checked on every read, not Caffeine: one configuration holds one entry
 * (its provider and resource), and bundling Caffeine would push the agent jar past its 8 MiB budget and
 * add its class loading to the agent's path to {@code main()}. Internal.
 */
public final class SubjectTokenCache {
  /** A token with less than this left is fetched again: it must outlive the exchange and clock skew. */
  public static final Duration MIN_REMAINING = Duration.ofMinutes(5);

  /** A bound that is never reached in practice (one entry per configuration), against a bug filling it. */
  private static final int MAX_ENTRIES = 16;

  private final Clock clock;
  private final ConcurrentHashMap<String, SubjectToken> cache = new ConcurrentHashMap<>();

  public SubjectTokenCache(Clock clock) {
    this.clock = clock;
  }

  /** A token to reuse for {@code provider} and {@code resource}, or {@code null}. */
  public SubjectToken reusable(String provider, String resource) {
    String key = key(provider, resource);
    SubjectToken t = cache.get(key);
    if (t == null) {
      return null;
    }
    if (reuseLeftMillis(t, clock.millis()) > 0) {
      return t;
    }
    cache.remove(key, t);
    return null;
  }

  /** Keeps {@code token} for reuse if it may be reused and has enough life left. */
  public void offer(String provider, String resource, SubjectToken token) {
    if (token.reusable() && reuseLeftMillis(token, clock.millis()) > 0) {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      cache.put(key(provider, resource), token);
    }
  }

  /** Forgets the token, e.g. after the STS refused it. */
  public void invalidate(String provider, String resource) {
    cache.remove(key(provider, resource));
  }

  private static String key(String provider, String resource) {
    return provider + '\n' + (resource == null ? "" : resource);
  }

  private static long reuseLeftMillis(SubjectToken token, long nowMillis) {
    Instant exp = token.expiresAt().orElse(null);
    if (exp == null) {
      return 0;
    }
    long left = exp.toEpochMilli() - MIN_REMAINING.toMillis() - nowMillis;
    return Math.max(0, left);
  }
}
