package io.github.mondoowif.internal.http;

import io.github.mondoowif.spi.TokenSourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one metadata request with the retry table applied. Returns the final response, whatever its
 * status: the provider turns a non-2xx into a message only it can word. Throws only when no response came
 * at all. Internal.
 */
public final class MetadataCall {
  private final OkHttpClient client;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  public MetadataCall(OkHttpClient client, RetryPolicy policy, Sleeper sleeper, Clock clock, DoubleSupplier random) {
    this.client = client;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  /**
   * @param source the provider name, for messages
   * @param describe the request as it may be shown: method and URL without secrets
   */
  public HttpResult execute(String source, Request request, String describe) throws TokenSourceException {
    // Metadata endpoints are plain http by specification; an https one (a custom endpoint) pays for TLS here.
    OkHttpClient client = request.isHttps() ? HttpClients.withTls(this.client) : this.client;
    int attempt = 0;
    int transientFailures = 0;
    Duration goneWaited = Duration.ZERO;
    IOException lastIo = null;
    HttpResult last = null;
    while (true) {
      attempt++;
      Duration wait;
      try (Response response = client.newCall(request).execute()) {
        String body = Bodies.readUtf8(response, Bodies.MAX_BYTES);
        last = new HttpResult(response.code(), response.headers(), body, attempt);
        lastIo = null;
      } catch (Bodies.BodyTooLargeException e) {
        throw new TokenSourceException(source, describe, 0, false, describe + ": " + e.getMessage(), e);
      } catch (SSLHandshakeException | SSLPeerUnverifiedException e) {
        // A server that fails TLS trust (a pinned thumbprint, say) will fail the same way again.
        throw new TokenSourceException(source, describe, 0, false, describe + ": TLS handshake refused: " + describeIo(e), e);
      } catch (IOException e) {
        lastIo = e;
        last = null;
      }
      if (last != null && last.status == 410) {
        if (goneWaited.compareTo(policy.goneBudget) >= 0) {
          return last;
        }
        wait = policy.goneInterval;
        goneWaited = goneWaited.plus(wait);
      } else if (last != null && !RetryPolicy.transientStatus(last.status)) {
        return last;
      } else {
        transientFailures++;
        if (transientFailures >= policy.maxAttempts) {
          if (last != null) {
            return last;
          }
          throw ioFailure(source, describe, lastIo, attempt);
        }
        wait = Backoff.fullJitter(transientFailures, policy.base, policy.cap, random);
        if (last != null) {
          Duration asked = RetryAfter.parse(last.headers.get("Retry-After"), Instant.now(clock));
          if (asked != null) {
            wait = asked.compareTo(policy.maxRetryAfter) > 0 ? policy.maxRetryAfter : asked;
          }
        }
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TokenSourceException(source, describe, 0, true, describe + ": interrupted while waiting to retry", e);
      }
    }
  }

  private static TokenSourceException ioFailure(String source, String describe, IOException e, int attempts) {
    String kind = e instanceof InterruptedIOException ? "timed out" : "failed";
    return new TokenSourceException(
        source, describe, 0, true,
        describe + " " + kind + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ": "
            + describeIo(e),
        e);
  }

  /** A one-line description of an I/O failure that never quotes a body. */
  public static String describeIo(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
  }
}
