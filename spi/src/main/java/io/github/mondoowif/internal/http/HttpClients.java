package io.github.mondoowif.internal.http;

import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client configuration, made once and shared: one connection pool and dispatcher, no
 * redirects, bounded timeouts. Metadata endpoints never go through a proxy, whatever the application's
 * proxy settings say; the STS uses the application's proxy selector. Internal.
 *
 * <p>The shared base and the metadata clients speak plain HTTP only. OkHttp builds a TLS socket factory
 * (the JDK's trust store, {@code SSLContext}, cipher suites: hundreds of milliseconds on a cold JVM) whenever
 * a client with a TLS connection spec is <em>built</em>, even if it never makes an https call; metadata
 * endpoints are plain http by specification (IMDS, Cloud Shell, App Service, Arc, GCP), so they never pay
 * for it. Clients for https endpoints add the TLS specs, and pay for TLS when they are built.
 *
 * <p>The exchange's clients (metadata, and the STS of {@link #sts(Duration, String)}) keep no idle
 * connections: they call once per token or credential lifetime, long after any keep-alive, and a pooled
 * connection would only hold a socket and OkHttp's pool-cleaner thread for five minutes after every
 * exchange. The API client ({@link #sts(Duration)}) keeps OkHttp's default pool.
 */
public final class HttpClients {
  private static final Duration METADATA_CONNECT = Duration.ofSeconds(1);
  private static final Duration STS_CONNECT = Duration.ofSeconds(5);
  /** OkHttp's default: modern TLS for https URLs, and plain http too. */
  public static final List<ConnectionSpec> TLS_AND_CLEARTEXT = List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT);
  private static final List<ConnectionSpec> CLEARTEXT_ONLY = List.of(ConnectionSpec.CLEARTEXT);

  private static volatile OkHttpClient base;
  private static volatile ConnectionPool noIdle;

  private HttpClients() {}

  private static OkHttpClient base() {
    OkHttpClient b = base;
    if (b == null) {
      synchronized (HttpClients.class) {
        b = base;
        if (b == null) {
          b = new OkHttpClient.Builder()
              .connectionSpecs(CLEARTEXT_ONLY)
              .followRedirects(false)
              .followSslRedirects(false)
              .retryOnConnectionFailure(false)
              .build();
          noIdle = new ConnectionPool(0, 1, TimeUnit.SECONDS);
          base = b;
        }
      }
    }
    return b;
  }

  /**
   * For metadata endpoints (169.254.169.254, loopback): no proxy, 1 s connect, whole call bounded, plain
   * http only ({@link #withTls} for the rare https one).
   */
  public static OkHttpClient metadata(Duration requestTimeout) {
    return base().newBuilder()
        .connectionPool(noIdle)
        .proxy(Proxy.NO_PROXY)
        .connectTimeout(min(METADATA_CONNECT, requestTimeout))
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .build();
  }

  /**
   * For Mondoo's API and other https endpoints (workload identity, GitHub): the application's proxy, 5 s
   * connect, TLS, OkHttp's connection pool.
   */
  public static OkHttpClient sts(Duration requestTimeout) {
    return sts(requestTimeout, true, false);
  }

  /**
   * For the exchange at Mondoo's STS at {@code universeDomain}: as {@link #sts(Duration)}, but TLS only when
   * the domain is not a plain {@code http://} URL (a local or test STS then costs no TLS initialisation at
   * all), and no idle connections.
   */
  public static OkHttpClient sts(Duration requestTimeout, String universeDomain) {
    return sts(requestTimeout, !isPlainHttp(universeDomain), true);
  }

  private static OkHttpClient sts(Duration requestTimeout, boolean tls, boolean exchange) {
    OkHttpClient b = base();
    return b.newBuilder()
        .connectionPool(exchange ? noIdle : b.connectionPool())
        .connectionSpecs(tls ? TLS_AND_CLEARTEXT : CLEARTEXT_ONLY)
        .connectTimeout(min(STS_CONNECT, requestTimeout))
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .build();
  }

  /** {@code client} itself if it can speak TLS, else the same client with TLS added. */
  public static OkHttpClient withTls(OkHttpClient client) {
    for (ConnectionSpec spec : client.connectionSpecs()) {
      if (spec.isTls()) {
        return client;
      }
    }
    return client.newBuilder().connectionSpecs(TLS_AND_CLEARTEXT).build();
  }

  static boolean isPlainHttp(String url) {
    return url != null && url.trim().toLowerCase(Locale.ROOT).startsWith("http://");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
