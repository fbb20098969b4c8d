package io.github.mondoowif.internal.azure;

import io.github.mondoowif.spi.TokenSourceException;
import okhttp3.HttpUrl;

/**
 * Reads the endpoint and secret environment variables of Azure's managed-identity hosts, refusing values
 * that would otherwise fail deep inside OkHttp with a message that quotes them. Internal.
 */
final class AzureEndpoints {
  private AzureEndpoints() {}

  /** The URL in {@code envName}; {@code value} is that variable's value (possibly null). */
  static HttpUrl url(String source, String envName, String value) throws TokenSourceException {
    if (value == null) {
      throw new TokenSourceException(source, envName + " is not set");
    }
    HttpUrl url = HttpUrl.parse(value.trim());
    if (url == null) {
      throw new TokenSourceException(source, envName + " is not an http(s) URL: \"" + value.trim() + "\"");
    }
    return url;
  }

  /**
   * A secret header value from {@code envName}, trimmed. OkHttp rejects control characters with a message
   * that quotes the value for every header but {@code Authorization}, so check here and say only where.
   */
  static String secret(String source, String envName, String value) throws TokenSourceException {
    if (value == null || value.isBlank()) {
      throw new TokenSourceException(source, envName + " is not set");
    }
    String v = value.trim();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        throw new TokenSourceException(source,
            envName + " holds a character that cannot go into an HTTP header (at position " + i
                + "); its value is not shown because it is a secret");
      }
    }
    return v;
  }

  /** {@code GET https://host/path}: the request as it may be shown, without the query. */
  static String describe(String method, HttpUrl url) {
    return method + " " + url.newBuilder().query(null).build();
  }
}
