package io.github.mondoowif.examples.demo.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIMULATOR — not Azure. An Azure Instance Metadata Service on loopback: answers
 * {@code GET /metadata/identity/oauth2/token?api-version=…&resource=…} with {@code Metadata: true}, exactly
 * as IMDS does (every JSON value a string), with a real RS256 JWT whose {@code iss} is
 * {@code https://sts.windows.net/<tenant>/} and whose {@code aud} is the requested resource. Requests
 * without {@code Metadata: true} get IMDS's 400, which is also what the library's probe sees.
 */
public final class AzureManagedIdentitySimulator implements AutoCloseable {
  public static final String TENANT = "72f988bf-0000-4000-8000-00000000demo";
  public static final String OBJECT_ID = "5b1c0f2e-0000-4000-8000-0000000000aa";

  private final HttpServer server;
  private final KeyPair signingKey = FakeMondoo.rsa();
  private final Clock clock;
  private final AtomicInteger tokensIssued = new AtomicInteger();

  public AzureManagedIdentitySimulator(Clock clock) throws IOException {
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/metadata/identity/oauth2/token", this::token);
    server.start();
  }

  /** The value for {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}: where the library finds this "IMDS". */
  public String authorityHost() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String issuer() {
    return "https://sts.windows.net/" + TENANT + "/";
  }

  /** The key the simulated STS verifies tokens with (in real life: Entra's published JWKS). */
  public PublicKey verificationKey() {
    return signingKey.getPublic();
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  private void token(HttpExchange exchange) throws IOException {
    try {
      if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata"))) {
        SimulatorHttp.json(exchange, 400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String resource = query.get("resource");
      if (resource == null || resource.isBlank()) {
        SimulatorHttp.json(exchange, 400,
            "{\"error\":\"invalid_request\",\"error_description\":\"Required query variable 'resource' is missing\"}");
        return;
      }
      Instant now = clock.instant();
      Instant exp = now.plusSeconds(86_399);
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("aud", resource);
      claims.put("iss", issuer());
      claims.put("iat", now.getEpochSecond());
      claims.put("nbf", now.getEpochSecond());
      claims.put("exp", exp.getEpochSecond());
      claims.put("oid", OBJECT_ID);
      claims.put("sub", OBJECT_ID);
      claims.put("tid", TENANT);
      claims.put("ver", "1.0");
      String jwt = FakeMondoo.jwt(claims, signingKey);
      tokensIssued.incrementAndGet();
      SimulatorHttp.json(exchange, 200, FakeMondoo.imdsResponse(jwt, resource, exp));
    } finally {
      exchange.close();
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
