package io.github.mondoowif.examples.demo.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIMULATOR — not Mondoo. Mondoo's Secure Token Service and two API endpoints on loopback, enforcing what
 * the real service enforces:
 *
 * <ul>
 *   <li>{@code POST /SecureTokenService/ExchangeExternalToken}: verifies the external JWT's RS256
 *       signature, issuer, audience, subject and expiry against one identity binding, then issues a real
 *       service account (a P-384 key and a certificate whose notAfter is the binding's expiration).
 *   <li>{@code POST /Health/Check}: unauthenticated; server time and version.
 *   <li>{@code POST /AgentManager/PingPong}: verifies the ES384 request signature against the issued
 *       account's key, the {@code chash} of the body, and the token's time window.
 * </ul>
 */
public final class MondooStsSimulator implements AutoCloseable {
  /** What the console's "Identity Providers" page stores: who may exchange, for which space, for how long. */
  public static final class Binding {
    final String audience;
    final String issuer;
    final String subject;
    final String tokenAudience;
    final PublicKey issuerKey;
    final Duration expiration;

    public Binding(String audience, String issuer, String subject, String tokenAudience, PublicKey issuerKey,
        Duration expiration) {
      this.audience = audience;
      this.issuer = issuer;
      this.subject = subject;
      this.tokenAudience = tokenAudience;
      this.issuerKey = issuerKey;
      this.expiration = expiration;
    }
  }

  private final HttpServer server;
  private final Binding binding;
  private final Clock clock;
  private final Map<String, PublicKey> accounts = new ConcurrentHashMap<>();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final AtomicInteger verifiedPings = new AtomicInteger();

  public MondooStsSimulator(Binding binding, Clock clock) throws IOException {
    this.binding = binding;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/SecureTokenService/ExchangeExternalToken", this::exchange);
    server.createContext("/Health/Check", this::health);
    server.createContext("/AgentManager/PingPong", this::pingPong);
    server.start();
  }

  /** The value for {@code mondoo.wif.universe-domain}. */
  public String universeDomain() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int exchanges() {
    return exchanges.get();
  }

  public int verifiedPings() {
    return verifiedPings.get();
  }

  private void exchange(HttpExchange ex) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        SimulatorHttp.rpcError(ex, 405, 12, "method not allowed");
        return;
      }
      Map<String, Object> req;
      try {
        req = Json.parseObject(SimulatorHttp.body(ex));
      } catch (MalformedJsonException e) {
        SimulatorHttp.rpcError(ex, 400, 3, "request is not JSON");
        return;
      }
      String why = refuse(req);
      if (why != null) {
        SimulatorHttp.rpcError(ex, 401, 16, why);
        return;
      }
      int n = exchanges.incrementAndGet();
      String space = binding.audience;
      String mrn = "//agents.api.mondoo.app" + binding.audience.substring(binding.audience.indexOf("/spaces/"))
          + "/serviceaccounts/wif-simulated-" + n;
      KeyPair keys = FakeMondoo.p384();
      Instant now = clock.instant();
      String cert = FakeMondoo.certificatePem(keys, mrn, now.minusSeconds(5), now.plus(binding.expiration));
      accounts.put(mrn, keys.getPublic());
      String credential = FakeMondoo.base64(FakeMondoo.serviceAccountJson(keys, cert, mrn, space, universeDomain()));
      SimulatorHttp.json(ex, 200, FakeMondoo.stsResponse(credential));
    } finally {
      ex.close();
    }
  }

  /** Why the exchange is refused, or {@code null}. Worded like a support engineer would. */
  private String refuse(Map<String, Object> req) {
    Object audience = req.get("audience");
    Object issuer = req.get("issuer_uri");
    Object jwt = req.get("jwt_token");
    if (!(jwt instanceof String)) {
      return "jwt_token is missing";
    }
    if (!binding.audience.equals(audience)) {
      return "no identity binding for audience " + audience;
    }
    if (!binding.issuer.equals(issuer)) {
      return "the binding's issuer is " + binding.issuer + ", not " + issuer;
    }
    String token = (String) jwt;
    if (!rs256Valid(token, binding.issuerKey)) {
      return "the external token's signature does not verify with the issuer's keys";
    }
    Optional<JwtClaims> claims = JwtClaims.tryDecode(token);
    if (claims.isEmpty()) {
      return "the external token is not a JWT";
    }
    JwtClaims c = claims.get();
    if (!binding.issuer.equals(c.issuer())) {
      return "the external token's iss " + c.issuer() + " is not the binding's issuer";
    }
    if (!binding.tokenAudience.equals(c.audience())) {
      return "the external token's aud " + c.audience() + " is not " + binding.tokenAudience;
    }
    if (!binding.subject.equals(c.subject())) {
      return "the external token's sub " + c.subject() + " is not the binding's subject";
    }
    if (c.expiresAt() == null || !c.expiresAt().isAfter(clock.instant())) {
      return "the external token has expired";
    }
    return null;
  }

  private static boolean rs256Valid(String jwt, PublicKey key) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return s.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private void health(HttpExchange ex) throws IOException {
    try {
      SimulatorHttp.json(ex, 200, "{\"status\":\"SERVING\",\"time\":\""
          + DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + "\",\"apiVersion\":\"v1\",\"build\":\"simulator\"}");
    } finally {
      ex.close();
    }
  }

  private void pingPong(HttpExchange ex) throws IOException {
    try {
      byte[] body = SimulatorHttp.bodyBytes(ex);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String why = verifyRequestSignature(auth, body);
      if (why != null) {
        SimulatorHttp.rpcError(ex, 401, 16, why);
        return;
      }
      verifiedPings.incrementAndGet();
      SimulatorHttp.json(ex, 200, "{}");
    } finally {
      ex.close();
    }
  }

  private String verifyRequestSignature(String authorization, byte[] body) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return "missing Bearer token";
    }
    String[] parts = authorization.substring(7).trim().split("\\.");
    if (parts.length != 3) {
      return "the Bearer token is not a JWT";
    }
    Map<String, Object> header;
    try {
      header = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (MalformedJsonException | IllegalArgumentException e) {
      return "unreadable JOSE header";
    }
    if (!"ES384".equals(header.get("alg"))) {
      return "alg must be ES384";
    }
    Object kid = header.get("kid");
    PublicKey key = kid == null ? null : accounts.get(String.valueOf(kid));
    if (key == null) {
      return "unknown service account " + kid;
    }
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initVerify(key);
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return "request signature does not verify";
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "request signature does not verify";
    }
    JwtClaims claims = JwtClaims.tryDecode(String.join(".", parts)).orElse(null);
    if (claims == null) {
      return "unreadable claims";
    }
    if (!"mondoo/ams".equals(claims.issuer()) || !String.valueOf(kid).equals(claims.subject())) {
      return "iss must be mondoo/ams and sub the account's mrn";
    }
    Instant now = clock.instant();
    Instant exp = claims.expiresAt();
    Instant iat = claims.issuedAt();
    if (exp == null || iat == null || now.isAfter(exp.plusSeconds(30)) || now.isBefore(iat.minusSeconds(30))) {
      return "the request token is outside its time window";
    }
    if (!Secrets.sha256Hex(body).equals(claims.text("chash"))) {
      return "chash does not match the body";
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
