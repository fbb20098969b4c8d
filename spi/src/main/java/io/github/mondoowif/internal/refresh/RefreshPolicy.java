package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.internal.http.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The arithmetic of the refresh schedule, in epoch milliseconds so that the hot path compares two
 * {@code long}s. Pure functions: the engine and the boundary tests share them. Internal, may change.
 *
 * <p>Every point is relative to the credential's lifetime L, never a fixed floor: fixed windows broke
 * twice at AWS (a 15-minute floor against 15-minute credentials), and this must work for L = 60 s as well
 * as for L = 24 h.
 */
public final class RefreshPolicy {
  /** Backoff after a failed refresh starts here and doubles per consecutive failure. */
  public static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
  /** The backoff cap while nothing valid is served: waiting callers must not wait long for a retry. */
  public static final Duration CAP_WITHOUT_CREDENTIAL = Duration.ofSeconds(30);
  /** The backoff cap while a valid credential is served, unless a quarter of what remains is smaller. */
  public static final Duration CAP_WITH_CREDENTIAL = Duration.ofMinutes(5);

  /**
   * The shortest lifetime a credential may have to be served: ten backoff steps. Below it, the refresh at
   * two thirds of the lifetime would come every few seconds from every JVM, for as long as the STS issues
   * such credentials, and a certificate valid for one second would be refreshed every second. Such a
   * credential is treated as a failed exchange, and backed off from. Short bindings above it (tens of
   * seconds) are served and refreshed as usual.
   */
  public static final Duration MIN_LIFETIME = BACKOFF_BASE.multipliedBy(10);

  /**
   * How far the wall clock may step back behind a credential's obtainedAt before its schedule is no longer
   * trusted. Every point was computed with the clock of that moment; when the clock was far ahead then
   * and has been corrected since (an expired-looking certificate got the configured lifetime, say), the
   * credential may be served past its certificate's real end. Past this step back the credential counts
   * as stale: still served, and replaced by a refresh under the corrected clock. Small NTP steps are
   * well inside the expiry margin and change nothing.
   */
  public static final Duration CLOCK_STEP_BACK = Duration.ofMinutes(1);

  private static final long EXPIRY_MARGIN_CAP_MS = 60_000;
  private static final long MIN_CAP_MS = 1_000;

  private RefreshPolicy() {}

  /**
   * The stale point: uniform in {@code [expiresAt − L/3, expiresAt − L/6]}. The jitter spreads a fleet
   * that started together over a sixth of the lifetime, so a metadata server or the STS never sees them
   * all at once.
   *
   * @param random a uniform double in [0, 1)
   */
  public static long staleAt(long obtainedAtMillis, long expiresAtMillis, DoubleSupplier random) {
    long lifetime = Math.max(0, expiresAtMillis - obtainedAtMillis);
    long earliest = expiresAtMillis - lifetime / 3;
    long latest = expiresAtMillis - lifetime / 6;
    double u = random.getAsDouble();
    if (!(u >= 0)) {
      u = 0;
    } else if (u > 1) {
      u = 1;
    }
    return earliest + (long) ((latest - earliest) * u);
  }

  /**
   * The expired point: {@code expiresAt − min(L/10, 60 s)}. From here on the credential is never handed
   * out: what remains is margin for clock skew and for the request that carries it.
   */
  public static long expiredAt(long obtainedAtMillis, long expiresAtMillis) {
    long lifetime = Math.max(0, expiresAtMillis - obtainedAtMillis);
    return expiresAtMillis - Math.min(lifetime / 10, EXPIRY_MARGIN_CAP_MS);
  }

  /**
   * The backoff cap after a failure. With nothing valid to serve, 30 s, so waiting callers are not kept
   * long. While a credential is still valid, {@code min(5 min, remaining/4)} but at least 1 s: calm during
   * an outage, yet several attempts fit before the credential stops being served.
   *
   * @param remainingMillis how long the current credential is still served (up to its expired point), or
   *     a value {@code <= 0} when none is
   */
  public static Duration backoffCap(long remainingMillis) {
    if (remainingMillis <= 0) {
      return CAP_WITHOUT_CREDENTIAL;
    }
    long cap = Math.min(CAP_WITH_CREDENTIAL.toMillis(), remainingMillis / 4);
    return Duration.ofMillis(Math.max(MIN_CAP_MS, cap));
  }

  /** The delay before the next attempt: full jitter, uniform in [0, min(cap, 1 s·2^(n−1))]. */
  public static long retryDelayMillis(int consecutiveFailures, long remainingMillis, DoubleSupplier random) {
    return Backoff.fullJitter(consecutiveFailures, BACKOFF_BASE, backoffCap(remainingMillis), random).toMillis();
  }
}
