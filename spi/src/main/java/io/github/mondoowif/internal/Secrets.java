package io.github.mondoowif.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one place that turns secrets into something printable: fingerprints, and bounded excerpts of
 * untrusted bodies. Internal, may change.
 */
public final class Secrets {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Secrets() {}

  /** The first 12 hex digits of the SHA-256 of {@code secret}: enough to correlate, useless to replay. */
  public static String fingerprint(String secret) {
    if (secret == null) {
      return "none";
    }
    return sha256Hex(secret.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      char[] out = new char[digest.length * 2];
      for (int i = 0; i < digest.length; i++) {
        out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
        out[2 * i + 1] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JRE", e);
    }
  }

  /**
   * A single-line excerpt of an untrusted body, at most {@code max} characters, with control characters
   * folded to spaces. Any run that looks like a JWT or a long base64 blob is replaced by its fingerprint,
   * because error pages sometimes echo the request.
   */
  public static String excerpt(String body, int max) {
    if (body == null) {
      return "";
    }
    // Redact before cutting: a cut through a token would leave a piece of it, whose fingerprint matches
    // nothing. Bodies reach here already capped at 1 MiB, so redacting all of it stays cheap.
    String s = redactTokens(body);
    StringBuilder out = new StringBuilder(Math.min(s.length(), max + 1));
    boolean lastSpace = false;
    int i = 0;
    for (; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c)) {
        if (!lastSpace && out.length() > 0) {
          out.append(' ');
        }
        lastSpace = true;
      } else {
        out.append(c);
        lastSpace = false;
      }
    }
    String result = out.toString().trim();
    return s.substring(i).isBlank() ? result : result + "…";
  }

  /** Replaces anything shaped like a JWT or a long base64 run with {@code <redacted sha256=…>}. */
  public static String redactTokens(String text) {
    if (text == null) {
      return null;
    }
    return Tokenish.PATTERN.matcher(text).replaceAll(m -> secretShaped(m.group())
        ? "<redacted sha256=" + fingerprint(m.group()) + ">"
        : java.util.regex.Matcher.quoteReplacement(m.group()));
  }

  /**
   * A JWT, or a long run that looks like base64 rather than like a URL path, an issuer or an mrn: those
   * split on {@code /} into words, ports and GUIDs, while a blob has a long segment mixing letters and
   * digits with hardly a dash.
   */
  static boolean secretShaped(String run) {
    if (run.startsWith("eyJ") || run.indexOf('/') < 0) {
      return true;
    }
    for (String segment : run.split("/")) {
      if (segment.length() >= 20 && blobLike(segment)) {
        return true;
      }
    }
    return false;
  }

  private static boolean blobLike(String segment) {
    boolean letter = false;
    boolean digit = false;
    int dashes = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
      if (c == '-') {
        dashes++;
      }
    }
    return letter && digit && dashes <= 2;
  }

  /** Compiled on first redaction, not when a fingerprint (the common use) loads this class. */
  private static final class Tokenish {
    static final java.util.regex.Pattern PATTERN =
        java.util.regex.Pattern.compile(
            "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.?[A-Za-z0-9_-]*|[A-Za-z0-9+/_-]{40,}={0,2}");
  }
}
