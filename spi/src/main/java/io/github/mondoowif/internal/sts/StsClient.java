package io.github.mondoowif.internal.sts;

import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.internal.IssuerHints;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.http.Backoff;
import io.github.mondoowif.internal.http.Bodies;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RetryAfter;
import io.github.mondoowif.internal.http.RpcStatus;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.spi.SubjectToken;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The exchange at Mondoo's Secure Token Service (mondoo-sts.md §1): the external JWT in, a
 * {@code base64_credential} out. Retries 429, 500, 502, 503, 504 and I/O errors a bounded number of times
 * with full-jitter backoff; never retries 4xx, which mean the binding and the token don't match.
 * Internal, may change.
 */
public final class StsClient {
  public static final String PATH = "/SecureTokenService/ExchangeExternalToken";
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier random;
  private final int maxAttempts;
  private final Duration base;
  private final Duration cap;

  public StsClient(OkHttpClient http, Sleeper sleeper, Clock clock, DoubleSupplier random, int maxAttempts,
      Duration base, Duration cap) {
    this.http = http;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
    this.maxAttempts = maxAttempts;
    this.base = base;
    this.cap = cap;
  }

  /** Three attempts, backoff from 500 ms up to 4 s. */
  public StsClient(OkHttpClient http, Sleeper sleeper, Clock clock, DoubleSupplier random) {
    this(http, sleeper, clock, random, 3, Duration.ofMillis(500), Duration.ofSeconds(4));
  }

  /** The URL the exchange is posted to: {@code universe} joined with the path, never with {@code //}. */
  public static String endpoint(String universeDomain) {
    String u = universeDomain;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u + PATH;
  }

  /** @return the {@code base64_credential}, exactly as received */
  public String exchange(String universeDomain, String audience, String issuer, SubjectToken token)
      throws ExchangeException {
    String url = endpoint(universeDomain);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("audience", audience);
    body.put("issuer_uri", issuer);
    body.put("jwt_token", token.value());
    Request request = new Request.Builder()
        .url(url)
        .header("Accept", "application/json")
        .post(RequestBody.create(Json.write(body), JSON))
        .build();

    int attempt = 0;
    while (true) {
      attempt++;
      int status = 0;
      String text = null;
      String retryAfter = null;
      IOException io = null;
      try (Response response = http.newCall(request).execute()) {
        status = response.code();
        retryAfter = response.header("Retry-After");
        text = Bodies.readUtf8(response, Bodies.MAX_BYTES);
      } catch (Bodies.BodyTooLargeException e) {
        throw failure(url, audience, issuer, token, status, null, null,
            "Mondoo's STS at " + url + " sent a " + (status == 0 ? "" : "HTTP " + status + " ") + e.getMessage()
                + "; refusing to read it", false, e);
      } catch (IOException e) {
        io = e;
      }
      if (io == null && status == 200) {
        return parseSuccess(url, audience, issuer, token, text);
      }
      boolean retryable = io != null || retryableStatus(status);
      if (!retryable || attempt >= maxAttempts) {
        throw io != null
            ? failure(url, audience, issuer, token, 0, null, null,
                "Mondoo's STS at " + url + (io instanceof InterruptedIOException ? " timed out" : " could not be reached")
                    + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + MetadataCall.describeIo(io)
                    + ". Check network access to " + universeDomain + " and mondoo.wif.universe-domain",
                true, io)
            : httpFailure(url, audience, issuer, token, status, text, attempt);
      }
      Duration wait = Backoff.fullJitter(attempt, base, cap, random);
      Duration asked = RetryAfter.parse(retryAfter, Instant.now(clock));
      if (asked != null) {
        wait = asked.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : asked;
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure(url, audience, issuer, token, status, null, null,
            "interrupted while waiting to retry the exchange at " + url, true, e);
      }
    }
  }

  private String parseSuccess(String url, String audience, String issuer, SubjectToken token, String text)
      throws ExchangeException {
    try {
      Map<String, Object> json = Json.parseObject(text);
      String credential = Json.string(json, "base64_credential");
      if (credential == null || credential.isBlank()) {
        throw failure(url, audience, issuer, token, 200, null, null,
            "Mondoo's STS at " + url + " answered 200 without a base64_credential; fields present: " + json.keySet(),
            false, null);
      }
      return credential;
    } catch (MalformedJsonException e) {
      throw failure(url, audience, issuer, token, 200, null, Secrets.excerpt(text, 200),
          "Mondoo's STS at " + url + " answered 200 with a body that is not the expected JSON: " + e.getMessage(),
          true, e);
    }
  }

  private ExchangeException httpFailure(
      String url, String audience, String issuer, SubjectToken token, int status, String text, int attempts) {
    RpcStatus rpc = RpcStatus.parse(text);
    Integer code = rpc.code;
    String message = rpc.message;
    StringBuilder sb = new StringBuilder("Mondoo's STS at ").append(url).append(" refused the exchange: HTTP ")
        .append(status);
    if (code != null) {
      sb.append(", code ").append(code);
    }
    if (message != null) {
      sb.append(rpc.structured ? ", message \"" : ", body: \"").append(message).append('"');
    }
    if (attempts > 1) {
      sb.append(" (after ").append(attempts).append(" attempts)");
    }
    sb.append(". Sent audience=").append(audience).append(", issuer_uri=").append(issuer);
    JwtClaims claims = JwtClaims.tryDecode(token.value()).orElse(null);
    if (claims != null) {
      sb.append("; the subject token (sha256=").append(token.fingerprint()).append(") has iss=")
          .append(claims.issuer()).append(", aud=").append(claims.audience()).append(", sub=")
          .append(claims.subject()).append(", exp=").append(claims.expiresAt());
    }
    String hint = hint(status, issuer, claims, Instant.now(clock));
    if (hint != null) {
      sb.append(". Likely cause: ").append(hint);
    }
    return failure(url, audience, issuer, token, status, code, message, sb.toString(), retryableStatus(status), null);
  }

  /** The statuses worth another attempt (mondoo-sts.md §1); the loop and the exception must agree. */
  private static boolean retryableStatus(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  private static String hint(int status, String issuer, JwtClaims claims, Instant now) {
    if (retryableStatus(status)) {
      return "Mondoo's STS is unavailable or throttling; it will be retried";
    }
    if (status >= 500) {
      return "Mondoo's STS failed in a way a retry will not fix; check mondoo.wif.universe-domain";
    }
    if (claims != null) {
      String iss = IssuerHints.mismatch(issuer, claims.issuer());
      if (iss != null) {
        return iss;
      }
      if (claims.expiresAt() != null && !claims.expiresAt().isAfter(now)) {
        return "the subject token expired at " + claims.expiresAt() + " (now " + now + "); check the host's clock";
      }
    }
    if (status == 401 || status == 403) {
      return "the identity binding in Mondoo (space → Settings → Identity Providers) does not accept this token: "
          + "check its issuer, its subject (the token's sub) and that the audience is this space";
    }
    if (status == 404) {
      return "no such endpoint or space: check mondoo.wif.universe-domain and the audience's space id";
    }
    if (status == 400) {
      return "the request was rejected as invalid: check mondoo.wif.audience and mondoo.wif.issuer";
    }
    return null;
  }

  private ExchangeException failure(String url, String audience, String issuer, SubjectToken token, int status,
      Integer code, String serverMessage, String message, boolean retryable, Throwable cause) {
    JwtClaims claims = JwtClaims.tryDecode(token.value()).orElse(null);
    ExchangeException.Builder b = ExchangeException.builder()
        .endpoint(url)
        .status(status)
        .code(code)
        .serverMessage(serverMessage)
        .audience(audience)
        .issuer(issuer)
        .retryable(retryable);
    if (claims != null) {
      b.tokenClaims(claims.issuer(), claims.audience(), claims.subject(), claims.expiresAt());
    }
    return b.build(message, cause);
  }
}
