package io.github.mondoowif.internal.http;

import java.net.Proxy;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client configuration, made once and shared: one connection pool and dispatcher, no
 * redirects, bounded timeouts. Metadata endpoints never go through a proxy, whatever the application's
 * proxy settings say; the STS uses the application's proxy selector. Internal.
 */
public final class HttpClients {
  private static final Duration METADATA_CONNECT = Duration.ofSeconds(1);
  private static final Duration STS_CONNECT = Duration.ofSeconds(5);

  private static volatile OkHttpClient base;

  private HttpClients() {}

  private static OkHttpClient base() {
    OkHttpClient b = base;
    if (b == null) {
      synchronized (HttpClients.class) {
        b = base;
        if (b == null) {
          b = new OkHttpClient.Builder()
              .followRedirects(false)
              .followSslRedirects(false)
              .retryOnConnectionFailure(false)
              .build();
          base = b;
        }
      }
    }
    return b;
  }

  /** For metadata endpoints (169.254.169.254, loopback): no proxy, 1 s connect, whole call bounded. */
  public static OkHttpClient metadata(Duration requestTimeout) {
    return base().newBuilder()
        .proxy(Proxy.NO_PROXY)
        .connectTimeout(min(METADATA_CONNECT, requestTimeout))
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .build();
  }

  /** For Mondoo's STS and API: the application's proxy, 5 s connect, whole call bounded. */
  public static OkHttpClient sts(Duration requestTimeout) {
    return base().newBuilder()
        .connectTimeout(min(STS_CONNECT, requestTimeout))
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
