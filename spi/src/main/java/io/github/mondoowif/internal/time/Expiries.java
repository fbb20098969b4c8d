package io.github.mondoowif.internal.time;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;

/**
 * The one place that parses token expiries, in every form the metadata endpoints have been seen to send:
 * epoch seconds or milliseconds as a number or a string, ISO-8601 with any offset, and the 2017 App Service
 * date strings. Internal, may change.
 */
public final class Expiries {
  /** Above this, a number is epoch milliseconds: 1e11 seconds is the year 5138. */
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;

  private Expiries() {}

  /**
   * Built on first use: only the 2017 App Service answers need them, and building formatters loads
   * {@code java.time.format} (tens of milliseconds on a cold JVM) for every Azure token otherwise.
   */
  private static final class UsDates {
    static final List<DateTimeFormatter> ALL =
        List.of(
            usDate("M/d/yyyy H:mm:ss XXX"),
            usDate("M/d/yyyy h:mm:ss a XXX"),
            usDate("M/d/yyyy H:mm:ss xx"),
            usDate("M/d/yyyy h:mm:ss a xx"));
  }

  private static DateTimeFormatter usDate(String pattern) {
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(pattern)
        .toFormatter(Locale.US)
        .withResolverStyle(ResolverStyle.SMART);
  }

  /**
   * Parses an {@code expires_on}-style value: a {@link Number} or a {@link String}. Returns {@code null}
   * for anything it cannot read (including objects and blanks); callers fall back to the next source.
   */
  public static Instant parse(Object value) {
    if (value instanceof Number) {
      try {
        return fromEpoch(new BigDecimal(value.toString()));
      } catch (NumberFormatException e) {
        return null; // NaN or an infinity
      }
    }
    if (!(value instanceof String)) {
      return null;
    }
    String s = ((String) value).trim();
    if (s.isEmpty()) {
      return null;
    }
    if (isNumeric(s)) {
      try {
        return fromEpoch(new BigDecimal(s));
      } catch (NumberFormatException | ArithmeticException e) {
        return null;
      }
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    for (DateTimeFormatter f : UsDates.ALL) {
      try {
        return OffsetDateTime.parse(s, f).toInstant();
      } catch (DateTimeParseException ignored) {
        // try the next form
      }
    }
    return null;
  }

  /** Parses an {@code expires_in}-style count of seconds relative to {@code now}. */
  public static Instant parseRelative(Object value, Instant now) {
    long seconds;
    if (value instanceof Number) {
      seconds = ((Number) value).longValue();
    } else if (value instanceof String && isNumeric(((String) value).trim())) {
      try {
        seconds = new BigDecimal(((String) value).trim()).longValue();
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return seconds <= 0 ? null : now.plusSeconds(seconds);
  }

  private static boolean isNumeric(String s) {
    if (s.isEmpty() || s.length() > 24) {
      return false;
    }
    boolean dot = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.' && !dot) {
        dot = true;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static Instant fromEpoch(BigDecimal epoch) {
    if (epoch.signum() <= 0) {
      return null;
    }
    long whole;
    try {
      // longValue() would wrap an overflowing value into a random instant; exact refuses it.
      whole = epoch.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
    try {
      if (whole >= MILLIS_THRESHOLD) {
        return Instant.ofEpochMilli(whole);
      }
      return Instant.ofEpochSecond(whole);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

}
