package io.github.mondoowif.internal.jwt;

import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of a JWT, decoded <em>without</em> verifying the signature: for diagnostics and expiry only,
 * never for trust. The one place that decodes JWT claims. Internal, may change.
 */
public final class JwtClaims {
  private final Map<String, Object> claims;

  private JwtClaims(Map<String, Object> claims) {
    this.claims = claims;
  }

  /** Decodes a compact JWS; empty when the text is not a JWT with a JSON payload. */
  public static Optional<JwtClaims> tryDecode(String jwt) {
    if (jwt == null) {
      return Optional.empty();
    }
    String[] parts = jwt.trim().split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
      Map<String, Object> map = Json.parseObject(new String(payload, StandardCharsets.UTF_8));
      return Optional.of(new JwtClaims(map));
    } catch (IllegalArgumentException | MalformedJsonException e) {
      return Optional.empty();
    }
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  public String issuer() {
    return text("iss");
  }

  /** The {@code aud} claim; an array is joined with commas. */
  public String audience() {
    Object v = claims.get("aud");
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      for (Object o : (List<?>) v) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(o);
      }
      return sb.toString();
    }
    return v == null ? null : String.valueOf(v);
  }

  public String subject() {
    return text("sub");
  }

  public Instant expiresAt() {
    return instant("exp");
  }

  public Instant issuedAt() {
    return instant("iat");
  }

  /** A claim as text, or {@code null}. */
  public String text(String name) {
    Object v = claims.get(name);
    return v == null || v instanceof Map || v instanceof List ? null : String.valueOf(v);
  }

  /** A NumericDate claim, or {@code null} when absent or not a number. */
  public Instant instant(String name) {
    Object v = claims.get(name);
    if (v instanceof Number) {
      return Instant.ofEpochSecond(((Number) v).longValue());
    }
    if (v instanceof String) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(((String) v).trim()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }


  @Override
  public String toString() {
    return "JwtClaims{iss=" + issuer() + ", aud=" + audience() + ", sub=" + subject() + ", exp=" + expiresAt() + "}";
  }
}
