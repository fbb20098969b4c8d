package io.github.mondoowif.internal.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Reads response bodies with a hard size cap, so a hostile endpoint cannot exhaust memory. Internal. */
public final class Bodies {
  /** The cap for every body this library reads: 1 MiB. */
  public static final long MAX_BYTES = 1L << 20;

  private Bodies() {}

  /** The body as UTF-8, or an {@link BodyTooLargeException} once more than {@code cap} bytes arrive. */
  public static String readUtf8(Response response, long cap) throws IOException {
    ResponseBody body = response.body();
    if (body == null) {
      return "";
    }
    long declared = body.contentLength();
    if (declared > cap) {
      throw new BodyTooLargeException(cap, declared);
    }
    BufferedSource source = body.source();
    Buffer buffer = new Buffer();
    while (buffer.size() <= cap) {
      long read = source.read(buffer, 8192);
      if (read == -1) {
        return buffer.readString(StandardCharsets.UTF_8);
      }
    }
    throw new BodyTooLargeException(cap, -1);
  }

  /** The response body exceeded the cap. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long cap, long declared) {
      super("response body larger than " + (cap >= 1 << 20 ? (cap >> 20) + " MiB" : cap + " bytes")
          + (declared > 0 ? " (Content-Length " + declared + ")" : ""));
    }
  }
}
