package io.github.mondoowif.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback fakes of what a workload talks to, on the JDK's own HTTP server: Azure Cloud Shell's
 * managed-identity endpoint ({@code MSI_ENDPOINT}: the seed's flow, and a flavour that our library,
 * azure-identity and the seed's curl pipeline all support) and Mondoo's STS. Both answers are made once, up
 * front (an RS256 JWT; a real P-384 credential whose certificate lives two hours), so the fakes answer in
 * microseconds and every contestant pays the same. Each endpoint counts its requests, and checks what it
 * gets, so a contestant cannot win by skipping a step.
 */
final class Fakes implements AutoCloseable {
  static final String RESOURCE = "https://management.azure.com/";
  static final String TOKEN_PATH = "/oauth2/token";
  static final String STS_PATH = "/SecureTokenService/ExchangeExternalToken";

  final String token = FakeMondoo.azureToken(RESOURCE, Instant.now().plus(1, ChronoUnit.DAYS));
  final String credential =
      FakeMondoo.base64Credential(Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
  final AtomicInteger tokenRequests = new AtomicInteger();
  final AtomicInteger stsRequests = new AtomicInteger();
  final AtomicInteger rejected = new AtomicInteger();
  /** How long the STS takes to answer: the herd makes the exchange outlast waking up 1000 threads. */
  volatile long stsDelayMillis;

  private final byte[] tokenBody = FakeMondoo.imdsResponse(token, RESOURCE, Instant.now().plus(1, ChronoUnit.DAYS))
      .getBytes(StandardCharsets.UTF_8);
  private final byte[] stsBody = FakeMondoo.stsResponse(credential).getBytes(StandardCharsets.UTF_8);
  private final HttpServer server;
  private final ExecutorService pool;

  static {
    // The JDK server leaves Nagle's algorithm on by default: headers and body in two small writes would then
    // wait for the client's delayed ACK (40 ms on Linux) and every contestant would measure that instead.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  Fakes() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
    pool = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext(TOKEN_PATH, this::token);
    server.createContext(STS_PATH, this::sts);
    server.start();
  }

  /**
   * Cloud Shell: {@code Metadata: true} and a {@code resource}, as a form POST (the documented call, which
   * the library and the seed's curl make) or in the query of a GET (what MSAL4J 1.23, under azure-identity,
   * sends).
   */
  private void token(HttpExchange x) throws IOException {
    String body = read(x);
    tokenRequests.incrementAndGet();
    String query = x.getRequestURI().getRawQuery();
    boolean resource = "POST".equals(x.getRequestMethod()) ? body.contains("resource=")
        : "GET".equals(x.getRequestMethod()) && query != null && query.contains("resource=");
    if (!resource || !"true".equalsIgnoreCase(x.getRequestHeaders().getFirst("Metadata"))) {
      System.err.println("fake token endpoint rejected " + x.getRequestMethod() + " " + x.getRequestURI() + " "
          + x.getRequestHeaders().keySet() + " body length " + body.length());
      reject(x, "{\"error\":\"invalid_request\"}");
      return;
    }
    respond(x, 200, tokenBody);
  }

  /** The STS: POST with the token from {@link #token} in the JSON body. */
  private void sts(HttpExchange x) throws IOException {
    String body = read(x);
    stsRequests.incrementAndGet();
    long delay = stsDelayMillis;
    if (delay > 0) {
      try {
        Thread.sleep(delay); // a slow STS, on this fake's own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!"POST".equals(x.getRequestMethod()) || !body.contains(token) || !body.contains(FakeMondoo.SPACE)) {
      reject(x, "{\"code\":16,\"message\":\"invalid token\"}");
      return;
    }
    respond(x, 200, stsBody);
  }

  private void reject(HttpExchange x, String body) throws IOException {
    rejected.incrementAndGet();
    respond(x, 400, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void respond(HttpExchange x, int status, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  void resetCounts() {
    tokenRequests.set(0);
    stsRequests.set(0);
    rejected.set(0);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code MSI_ENDPOINT}. */
  String msiEndpoint() {
    return "http://127.0.0.1:" + port() + TOKEN_PATH;
  }

  /** {@code mondoo.wif.universe-domain}: plain http on loopback. */
  String universeDomain() {
    return "http://127.0.0.1:" + port();
  }

  String stsUrl() {
    return universeDomain() + STS_PATH;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
