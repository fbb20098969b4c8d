package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.internal.time.Expiries;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiriesTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void parse_epochSecondsString_isSeconds() {
    assertThat(Expiries.parse("1796043024")).isEqualTo(Instant.ofEpochSecond(1796043024L));
  }

  @Test
  void parse_epochSecondsNumber_isSeconds() {
    assertThat(Expiries.parse(1796043024L)).isEqualTo(Instant.ofEpochSecond(1796043024L));
  }

  @Test
  void parse_epochSecondsDouble_dropsTheFraction() {
    assertThat(Expiries.parse(1796043024.75d)).isEqualTo(Instant.ofEpochSecond(1796043024L));
  }

  @Test
  void parse_epochMillisString_isMillis() {
    assertThat(Expiries.parse("1796043024123")).isEqualTo(Instant.ofEpochMilli(1796043024123L));
  }

  @Test
  void parse_epochMillisNumber_isMillis() {
    assertThat(Expiries.parse(1796043024123L)).isEqualTo(Instant.ofEpochMilli(1796043024123L));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "06/19/2019 23:42:01 +00:00 | 2019-06-19T23:42:01Z",
    "1/16/2020 5:24:12 AM +00:00 | 2020-01-16T05:24:12Z",
    "1/16/2020 5:24:12 PM +00:00 | 2020-01-16T17:24:12Z",
    "12/31/2019 11:59:59 PM -05:00 | 2020-01-01T04:59:59Z",
    "6/9/2019 3:04:05 +02:00 | 2019-06-09T01:04:05Z"
  })
  void parse_appService2017DateString_isThatInstant(String text, String expected) {
    assertThat(Expiries.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "2024-10-18T19:51:37.0000000+00:00 | 2024-10-18T19:51:37Z",
    "2024-10-18T19:51:37Z | 2024-10-18T19:51:37Z",
    "2024-10-18T21:51:37+02:00 | 2024-10-18T19:51:37Z",
    "2024-10-18T19:51:37.5Z | 2024-10-18T19:51:37.5Z"
  })
  void parse_iso8601_isThatInstant(String text, String expected) {
    assertThat(Expiries.parse(text)).isEqualTo(Instant.parse(expected));
  }

  @Test
  void parse_surroundingWhitespace_isIgnored() {
    assertThat(Expiries.parse("  1796043024 ")).isEqualTo(Instant.ofEpochSecond(1796043024L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "soon", "-5", "0", "12/34/2019 99:00:00 +00:00", "1.2.3"})
  void parse_unreadableString_isNull(String text) {
    assertThat(Expiries.parse(text)).isNull();
  }

  @Test
  void parse_nonStringNonNumber_isNull() {
    assertThat(Expiries.parse(null)).isNull();
    assertThat(Expiries.parse(java.util.Map.of("a", 1))).isNull();
    assertThat(Expiries.parse(Boolean.TRUE)).isNull();
  }

  @Test
  void parse_numberBeyondAnyInstant_isNullNotAWrappedValue() {
    assertThat(Expiries.parse("100000000000000000000")).isNull();
    assertThat(Expiries.parse(1e20d)).isNull();
    assertThat(Expiries.parse(new java.math.BigInteger("100000000000000000000"))).isNull();
  }

  @Test
  void parse_nanOrInfinity_isNullNotAnException() {
    assertThat(Expiries.parse(Double.NaN)).isNull();
    assertThat(Expiries.parse(Double.POSITIVE_INFINITY)).isNull();
  }

  @Test
  void parseRelative_stringSeconds_addsToNow() {
    assertThat(Expiries.parseRelative("86399", NOW)).isEqualTo(NOW.plusSeconds(86399));
  }

  @Test
  void parseRelative_numberSeconds_addsToNow() {
    assertThat(Expiries.parseRelative(3599L, NOW)).isEqualTo(NOW.plusSeconds(3599));
  }

  @Test
  void parseRelative_zeroNegativeOrText_isNull() {
    assertThat(Expiries.parseRelative("0", NOW)).isNull();
    assertThat(Expiries.parseRelative(-5L, NOW)).isNull();
    assertThat(Expiries.parseRelative("an hour", NOW)).isNull();
    assertThat(Expiries.parseRelative(null, NOW)).isNull();
  }
}
