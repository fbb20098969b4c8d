package io.github.mondoowif.internal.http;

import okhttp3.Headers;

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
}
