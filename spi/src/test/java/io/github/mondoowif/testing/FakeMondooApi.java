package io.github.mondoowif.testing;

import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A whole Mondoo, plus the Azure token endpoints, on one {@link MockWebServer}: the STS, {@code Health/Check},
 * a {@code PingPong} that verifies every signature with the issued certificate's public key, Cloud Shell's
 * {@code /oauth2/token} and IMDS's {@code /metadata/identity/oauth2/token}. Every request is still recorded,
 * so tests can take and inspect them. Credentials it issues name the server itself as {@code api_endpoint}.
 *
 * <p>Defaults answer like a healthy setup; queue responses to break one step.
 */
public final class FakeMondooApi extends Dispatcher {
  public static final String CLOUD_SHELL_PATH = "/oauth2/token";
  public static final String IMDS_PATH = "/metadata/identity/oauth2/token";
  public static final String STS_PATH = "/SecureTokenService/ExchangeExternalToken";
  public static final String HEALTH_PATH = "/Health/Check";
  public static final String PING_PONG_PATH = "/AgentManager/PingPong";
  public static final String RESOURCE = "api://mondoo-wif";

  private final MockWebServer server;
  private final ConcurrentLinkedQueue<MockResponse> stsResponses = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<MockResponse> tokenResponses = new ConcurrentLinkedQueue<>();
  private final List<X509Certificate> issued = new CopyOnWriteArrayList<>();
  private final List<String> issuedBase64 = new CopyOnWriteArrayList<>();
  private final List<String> pingPongProblems = new CopyOnWriteArrayList<>();
  private volatile Clock clock = Clock.systemUTC();
  private volatile Duration serverClockOffset = Duration.ZERO;
  private volatile Duration credentialLifetime = Duration.ofHours(1);
  private volatile String subjectToken;

  private FakeMondooApi(MockWebServer server) {
    this.server = server;
  }

  /** Installs a fake on {@code server} (started or not). */
  public static FakeMondooApi on(MockWebServer server) {
    FakeMondooApi fake = new FakeMondooApi(server);
    server.setDispatcher(fake);
    return fake;
  }

  /** The universe domain to configure: the server's base URL without a trailing slash. */
  public String universeDomain() {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  public String cloudShellEndpoint() {
    return server.url(CLOUD_SHELL_PATH).toString();
  }

  /** The value for {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}. */
  public String imdsHost() {
    return universeDomain();
  }

  /** The clock for issued credentials and Health/Check; the system clock by default. */
  public FakeMondooApi clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** How far Health/Check's time is ahead of the fake's clock. */
  public FakeMondooApi serverClockOffset(Duration offset) {
    this.serverClockOffset = offset;
    return this;
  }

  /** The notAfter of issued certificates, from the fake's clock. */
  public FakeMondooApi credentialLifetime(Duration lifetime) {
    this.credentialLifetime = lifetime;
    return this;
  }

  /** The JWT the Azure endpoints hand out; a v1 token for {@link #RESOURCE} valid for a day by default. */
  public FakeMondooApi subjectToken(String jwt) {
    this.subjectToken = jwt;
    return this;
  }

  public String subjectToken() {
    String t = subjectToken;
    if (t == null) {
      t = FakeMondoo.azureToken(RESOURCE, clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1)));
      subjectToken = t;
    }
    return t;
  }

  /** The next STS answer instead of a fresh credential. */
  public FakeMondooApi enqueueSts(MockResponse response) {
    stsResponses.add(response);
    return this;
  }

  /** The next Azure token answer instead of {@link #subjectToken()}. */
  public FakeMondooApi enqueueToken(MockResponse response) {
    tokenResponses.add(response);
    return this;
  }

  /** Every {@code base64_credential} the STS handed out, in order. */
  public List<String> issuedCredentials() {
    return List.copyOf(issuedBase64);
  }

  /** Why PingPong calls were refused; empty when every signature verified. */
  public List<String> pingPongProblems() {
    return List.copyOf(pingPongProblems);
  }

  /** Issues a credential now, as the STS would, and remembers its certificate for PingPong. */
  public String issueCredential() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    KeyPair keys = FakeMondoo.p384();
    String cert = FakeMondoo.certificatePem(keys, "mondoo-test", now.minusSeconds(60), now.plus(credentialLifetime));
    String base64 = FakeMondoo.base64(FakeMondoo.serviceAccountJson(keys, cert, universeDomain()));
    issued.add(parseCertificate(cert));
    issuedBase64.add(base64);
    return base64;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    switch (path) {
      case STS_PATH: {
        MockResponse queued = stsResponses.poll();
        return queued != null ? queued : json(200, FakeMondoo.stsResponse(issueCredential()));
      }
      case HEALTH_PATH: {
        Instant t = clock.instant().plus(serverClockOffset);
        return json(200, "{\"status\":\"SERVING\",\"time\":\"" + t + "\",\"version\":\"11.0.0\","
            + "\"apiVersion\":\"v1\",\"build\":\"abc123\"}");
      }
      case PING_PONG_PATH: {
        List<String> problems = verify(request, issued, clock.instant());
        if (problems.isEmpty()) {
          return json(200, "{}");
        }
        pingPongProblems.addAll(problems);
        return json(401, "{\"code\":16,\"message\":\"request signature invalid\"}");
      }
      case IMDS_PATH:
        if (!"true".equals(request.getHeaders().get("Metadata"))) {
          return json(400, "{\"error\":\"bad_request\",\"error_description\":\"Required metadata header not specified\"}");
        }
        return token();
      case CLOUD_SHELL_PATH:
        return token();
      default:
        return json(404, "{\"code\":5,\"message\":\"no route " + path + "\"}");
    }
  }

  private MockResponse token() {
    MockResponse queued = tokenResponses.poll();
    if (queued != null) {
      return queued;
    }
    Instant exp = clock.instant().plus(Duration.ofDays(1));
    return json(200, FakeMondoo.imdsResponse(subjectToken(), RESOURCE, exp));
  }

  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  /**
   * Checks a signed request the way Mondoo would: an ES384 JWS in {@code Authorization: Bearer}, whose
   * header and claims are exactly as specified, whose {@code chash} is the SHA-256 of the body received, and
   * whose signature verifies with one of {@code certificates}' public keys.
   *
   * @return the problems found; empty when the request is correctly signed
   */
  public static List<String> verify(RecordedRequest request, List<X509Certificate> certificates, Instant now) {
    List<String> problems = new ArrayList<>();
    String auth = request.getHeaders().get("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      problems.add("no bearer token");
      return problems;
    }
    String[] parts = auth.substring("Bearer ".length()).split("\\.", -1);
    if (parts.length != 3) {
      problems.add("not a compact JWS");
      return problems;
    }
    Map<String, Object> header;
    Map<String, Object> claims;
    try {
      header = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = Json.parseObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (MalformedJsonException | IllegalArgumentException e) {
      problems.add("undecodable JWS: " + e);
      return problems;
    }
    expect(problems, "header alg", "ES384", header.get("alg"));
    expect(problems, "header typ", "JWT", header.get("typ"));
    expect(problems, "header kid", FakeMondoo.MRN, header.get("kid"));
    expect(problems, "iss", "mondoo/ams", claims.get("iss"));
    expect(problems, "sub", FakeMondoo.MRN, claims.get("sub"));
    if (claims.containsKey("aud")) {
      problems.add("unexpected aud claim");
    }
    Object iat = claims.get("iat");
    Object nbf = claims.get("nbf");
    Object exp = claims.get("exp");
    if (!(iat instanceof Long) || !(nbf instanceof Long) || !(exp instanceof Long)) {
      problems.add("iat/nbf/exp are not integers: " + iat + "/" + nbf + "/" + exp);
    } else {
      expect(problems, "nbf", iat, nbf);
      expect(problems, "exp - iat", 60L, (Long) exp - (Long) iat);
      if (Math.abs((Long) iat - now.getEpochSecond()) > 300) {
        problems.add("iat " + iat + " is far from now " + now.getEpochSecond());
      }
    }
    expect(problems, "chash", sha256Hex(request.getBody() == null ? new byte[0] : request.getBody().toByteArray()),
        claims.get("chash"));
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    if (signature.length != 96) {
      problems.add("signature is " + signature.length + " bytes, not the 96 of P-384 R||S");
    }
    boolean verified = false;
    for (X509Certificate cert : certificates) {
      try {
        Signature v = Signature.getInstance("SHA384withECDSAinP1363Format");
        v.initVerify(cert.getPublicKey());
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (v.verify(signature)) {
          verified = true;
          break;
        }
      } catch (GeneralSecurityException e) {
        problems.add("verification failed: " + e);
      }
    }
    if (!verified) {
      problems.add("signature does not verify with any issued certificate");
    }
    return problems;
  }

  private static void expect(List<String> problems, String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      problems.add(what + " is " + actual + ", expected " + expected);
    }
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  public static X509Certificate parseCertificate(String pem) {
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
