package io.github.mondoowif.internal.http;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import java.util.Map;

/**
 * The error body of a failed Mondoo call: a google.rpc Status {@code {"code":<int>,"message":"…"}}, or,
 * when a proxy or load balancer answered instead, a bounded and sanitised excerpt of whatever it sent.
 * Internal.
 */
public final class RpcStatus {
  /** Mondoo's code, or {@code null} when the body had none. */
  public final Integer code;
  /** Mondoo's message, or an excerpt of any other body, or {@code null} for an empty body. */
  public final String message;
  /** Whether {@link #message} came from a JSON {@code message} field rather than an excerpt. */
  public final boolean structured;

  private RpcStatus(Integer code, String message, boolean structured) {
    this.code = code;
    this.message = message;
    this.structured = structured;
  }

  public static RpcStatus parse(String body) {
    try {
      Map<String, Object> json = Json.parseObject(body);
      Object c = json.get("code");
      Integer code = c instanceof Number ? ((Number) c).intValue() : null;
      Object m = json.get("message");
      if (m != null) {
        return new RpcStatus(code, Secrets.excerpt(String.valueOf(m), 300), true);
      }
      // JSON that is not a google.rpc.Status (a gateway's {"error":…}): keep an excerpt, not nothing.
      return new RpcStatus(code, excerpt(body), false);
    } catch (MalformedJsonException e) {
      return new RpcStatus(null, excerpt(body), false);
    }
  }

  private static String excerpt(String body) {
    return body == null || body.isBlank() ? null : Secrets.excerpt(body, 200);
  }
}
