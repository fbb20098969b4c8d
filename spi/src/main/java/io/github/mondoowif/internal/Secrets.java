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

  /**
   * Replaces anything shaped like a JWT or a long base64 run with {@code <redacted sha256=…>}.
   *
   * <p>http(s) URLs are treated piece by piece: their host and port are never secret, and a path is
   * judged one segment at a time, so {@code http://host:8080/SecureTokenService/ExchangeExternalToken} or
   * an issuer {@code https://sts.windows.net/<tenant-id>/} stays readable (as one run of base64-like
   * characters it would look like a token). A query or fragment is judged whole, as any other text.
   */
  public static String redactTokens(String text) {
    if (text == null) {
      return null;
    }
    java.util.regex.Matcher url = URL.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    while (url.find()) {
      out.append(redactRuns(text.substring(last, url.start())));
      int pathStart = url.start(1);
      int pathEnd = url.end(2);
      out.append(redactRuns(text.substring(url.start(), pathStart))); // user info may hold a password
      for (java.util.regex.Matcher segment = SEGMENT.matcher(text).region(pathStart, pathEnd); segment.find(); ) {
        String s = segment.group();
        out.append(TOKENISH_SEGMENT.matcher(s).matches() ? redacted(s) : s);
      }
      out.append(redactRuns(text.substring(pathEnd, url.end())));
      last = url.end();
    }
    out.append(redactRuns(text.substring(last)));
    return out.toString();
  }

  private static String redactRuns(String text) {
    return TOKENISH.matcher(text).replaceAll(m -> redacted(m.group()));
  }

  private static String redacted(String secret) {
    return "<redacted sha256=" + fingerprint(secret) + ">";
  }

  private static final java.util.regex.Pattern TOKENISH =
      java.util.regex.Pattern.compile(
          "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.?[A-Za-z0-9_-]*|[A-Za-z0-9+/_-]{40,}={0,2}");

  /** A URL: group 1 is its path (possibly empty), group 2 is empty and marks where the path ends. */
  private static final java.util.regex.Pattern URL =
      java.util.regex.Pattern.compile("(?i:https?)://[^/?#\\s\"'<>]*([^?#\\s\"'<>]*)()[^\\s\"'<>]*");

  /** A path segment, or the slash between two. */
  private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("/|[^/]+");

  /** A segment that is a token by itself: a JWT, or a long run of base64 without slashes. */
  private static final java.util.regex.Pattern TOKENISH_SEGMENT =
      java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.?[A-Za-z0-9_-]*|[A-Za-z0-9+_-]{40,}={0,2}");
}
