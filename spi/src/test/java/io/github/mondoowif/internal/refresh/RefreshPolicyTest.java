package io.github.mondoowif.internal.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefreshPolicyTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final double ALMOST_ONE = Math.nextDown(1.0);

  @ParameterizedTest(name = "L = {0} s")
  @CsvSource({"60, 20000, 10000", "3600, 1200000, 600000", "86400, 28800000, 14400000"})
  void staleAt_randomExtremes_spanThirdToSixthBeforeExpiry(long lifetimeSeconds, long third, long sixth) {
    long expires = T0 + lifetimeSeconds * 1000;

    assertThat(RefreshPolicy.staleAt(T0, expires, () -> 0.0)).isEqualTo(expires - third);
    assertThat(RefreshPolicy.staleAt(T0, expires, () -> ALMOST_ONE)).isBetween(expires - sixth - 1, expires - sixth);
    assertThat(RefreshPolicy.staleAt(T0, expires, () -> 0.5)).isEqualTo(expires - (third + sixth) / 2);
  }

  @ParameterizedTest(name = "L = {0} s")
  @CsvSource({"60, 6000", "600, 60000", "3600, 60000", "86400, 60000"})
  void expiredAt_lifetime_isTenthCappedAtOneMinute(long lifetimeSeconds, long margin) {
    long expires = T0 + lifetimeSeconds * 1000;

    assertThat(RefreshPolicy.expiredAt(T0, expires)).isEqualTo(expires - margin);
  }

  @ParameterizedTest(name = "L = {0} s")
  @CsvSource({"60", "3600", "86400"})
  void stalePoint_anyJitter_liesBeforeExpiredPoint(long lifetimeSeconds) {
    long expires = T0 + lifetimeSeconds * 1000;

    assertThat(RefreshPolicy.staleAt(T0, expires, () -> ALMOST_ONE)).isLessThan(RefreshPolicy.expiredAt(T0, expires));
  }

  @Test
  void staleAt_randomOutOfRange_isClampedIntoWindow() {
    long expires = T0 + 60_000;

    assertThat(RefreshPolicy.staleAt(T0, expires, () -> Double.NaN)).isEqualTo(expires - 20_000);
    assertThat(RefreshPolicy.staleAt(T0, expires, () -> 7.0)).isEqualTo(expires - 10_000);
  }

  @Test
  void backoffCap_nothingServed_isThirtySeconds() {
    assertThat(RefreshPolicy.backoffCap(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RefreshPolicy.backoffCap(-5)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void backoffCap_longRemaining_isFiveMinutes() {
    assertThat(RefreshPolicy.backoffCap(Duration.ofHours(1).toMillis())).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void backoffCap_shortRemaining_isAQuarterOfIt() {
    assertThat(RefreshPolicy.backoffCap(Duration.ofSeconds(40).toMillis())).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void backoffCap_veryShortRemaining_neverBelowOneSecond() {
    assertThat(RefreshPolicy.backoffCap(2_000)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void retryDelay_consecutiveFailures_doublesFromOneSecondUpToCap() {
    long hour = Duration.ofHours(1).toMillis();

    assertThat(RefreshPolicy.retryDelayMillis(1, hour, () -> ALMOST_ONE)).isBetween(999L, 1000L);
    assertThat(RefreshPolicy.retryDelayMillis(4, hour, () -> ALMOST_ONE)).isBetween(7999L, 8000L);
    assertThat(RefreshPolicy.retryDelayMillis(20, hour, () -> ALMOST_ONE)).isBetween(299_999L, 300_000L);
    assertThat(RefreshPolicy.retryDelayMillis(20, 0, () -> ALMOST_ONE)).isBetween(29_999L, 30_000L);
    assertThat(RefreshPolicy.retryDelayMillis(20, 0, () -> 0.0)).isZero();
  }
}
