package io.github.mondoowif.internal.refresh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.mondoowif.spi.SubjectToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Subject tokens kept for the next exchange while they have at least {@link #MIN_REMAINING} left. Azure
 * managed-identity tokens live about 24 h and IMDS throttles at 5 requests/s per VM: an hourly Mondoo
 * credential does not need a new one each hour. Tokens marked {@link SubjectToken#reusable() not reusable}
 * (read from files, which rotate underneath) and tokens without a known expiry are never kept.
 *
 * <p>Keyed by provider and resource. One cache belongs to one configuration: a shared one would have to
 * know every input that shapes a provider's token (the environment included), and a wrong key would hand
 * one identity's token to another. Time comes from the injected clock, so tests move it. Internal.
 */
public final class SubjectTokenCache {
  /** A token with less than this left is fetched again: it must outlive the exchange and clock skew. */
  public static final Duration MIN_REMAINING = Duration.ofMinutes(5);

  private final Clock clock;
  private volatile Cache<String, SubjectToken> cache;

  public SubjectTokenCache(Clock clock) {
    this.clock = clock;
  }

  /** Built on first use: loading Caffeine belongs on the exchange thread, not on the caller's. */
  private Cache<String, SubjectToken> cache() {
    Cache<String, SubjectToken> c = cache;
    if (c == null) {
      synchronized (this) {
        c = cache;
        if (c == null) {
          c = Caffeine.newBuilder()
              .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
              // Maintenance on the calling thread: no ForkJoinPool.commonPool() work from a library.
              .executor(Runnable::run)
              .maximumSize(16)
              .expireAfter(new UntilReuseEnds())
              .build();
          cache = c;
        }
      }
    }
    return c;
  }

  /** A token to reuse for {@code provider} and {@code resource}, or {@code null}. */
  public SubjectToken reusable(String provider, String resource) {
    SubjectToken t = cache().getIfPresent(key(provider, resource));
    // Caffeine's expiry is the main rule; this check keeps it exact even if the clock went backwards.
    return t != null && reuseLeftNanos(t, clock.millis()) > 0 ? t : null;
  }

  /** Keeps {@code token} for reuse if it may be reused and has enough life left. */
  public void offer(String provider, String resource, SubjectToken token) {
    if (token.reusable() && reuseLeftNanos(token, clock.millis()) > 0) {
      cache().put(key(provider, resource), token);
    }
  }

  /** Forgets the token, e.g. after the STS refused it. */
  public void invalidate(String provider, String resource) {
    cache().invalidate(key(provider, resource));
  }

  private static String key(String provider, String resource) {
    return provider + '\n' + (resource == null ? "" : resource);
  }

  private static long reuseLeftNanos(SubjectToken token, long nowMillis) {
    Instant exp = token.expiresAt().orElse(null);
    if (exp == null) {
      return 0;
    }
    long left = exp.toEpochMilli() - MIN_REMAINING.toMillis() - nowMillis;
    return left <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(left);
  }

  /** Each entry lives until its token has {@link #MIN_REMAINING} left. */
  private static final class UntilReuseEnds implements Expiry<String, SubjectToken> {
    @Override
    public long expireAfterCreate(String key, SubjectToken token, long currentTime) {
      return reuseLeftNanos(token, TimeUnit.NANOSECONDS.toMillis(currentTime));
    }

    @Override
    public long expireAfterUpdate(String key, SubjectToken token, long currentTime, long currentDuration) {
      return reuseLeftNanos(token, TimeUnit.NANOSECONDS.toMillis(currentTime));
    }

    @Override
    public long expireAfterRead(String key, SubjectToken token, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
