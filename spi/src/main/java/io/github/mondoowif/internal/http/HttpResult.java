package io.github.mondoowif.internal.http;

import okhttp3.Headers;
import okhttp3.HttpUrl;

/** A finished HTTP exchange: status, headers, the capped body, and how many attempts it took. Internal. */
public final class HttpResult {
  public final int status;
  public final Headers headers;
  public final String body;
  public final int attempts;

  public HttpResult(int status, Headers headers, String body, int attempts) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.attempts = attempts;
  }

  public boolean successful() {
    return status >= 200 && status < 300;
  }

  /**
   * For a redirect, a sentence saying where it pointed (scheme, host and port only: the rest of a
   * Location may carry a token) and that it was not followed; {@code null} for any other status.
   */
  public String redirectHint() {
    if (status < 300 || status >= 400) {
      return null;
    }
    String location = headers.get("Location");
    HttpUrl target = location == null ? null : HttpUrl.parse(location.trim());
    String where = target != null ? target.scheme() + "://" + target.host() + ":" + target.port()
        : location == null ? "nowhere (no Location header)" : "a relative location";
    return "the endpoint answered with a redirect to " + where + "; redirects from identity endpoints are never "
        + "followed. Check the endpoint's URL: something other than the identity endpoint may be answering";
  }
}
