package io.github.mondoowif.internal.gcp;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProbeMemory;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.http.Bodies;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Google Cloud (GCE VMs, GKE pods, Cloud Run): the metadata server's identity token,
 * {@code GET http://<host>/computeMetadata/v1/instance/service-accounts/default/identity?audience=<aud>&format=full}
 * with {@code Metadata-Flavor: Google}, answered with the raw JWT. The audience is the Mondoo audience; the
 * issuer the binding needs is {@code https://accounts.google.com}.
 *
 * <p>{@code GCE_METADATA_HOST} ({@code host[:port]}) names the server and by itself means "on Google
 * Cloud", as in Google's own libraries. Otherwise a probe decides: a GET of {@code /computeMetadata/v1/}
 * bounded to 500 ms to connect and 1 s in all, which must answer with the {@code Metadata-Flavor: Google}
 * header. The default host is the metadata server's link-local address rather than
 * {@code metadata.google.internal}, as Google's Go client does: a name lookup cannot be bounded by a
 * timeout, and off Google Cloud it can hang for the resolver's whole retry cycle. A negative probe is
 * remembered for 30 s, never for good. Internal.
 */
public final class GcpProvider implements CredentialProvider {
  public static final String NAME = "gcp";
  static final String DEFAULT_HOST = "169.254.169.254";
  static final String IDENTITY_PATH = "/computeMetadata/v1/instance/service-accounts/default/identity";
  private static final Duration PROBE_CONNECT = Duration.ofMillis(500);
  private static final Duration PROBE_TOTAL = Duration.ofSeconds(1);

  private final String defaultHost;
  private final ProbeMemory probes = new ProbeMemory();


  /**
   * Probes the metadata server's link-local address, or the {@code host[:port]} in the system property
   * {@value #TEST_HOST_PROPERTY}. That property exists for this project's own builds only, so that no
   * test ever sends a packet to 169.254.169.254.
   */
  public GcpProvider() {
    this(System.getProperty(TEST_HOST_PROPERTY, DEFAULT_HOST));
  }

  static final String TEST_HOST_PROPERTY = "mondoo.wif.internal.gcp-default-host";

  /** For tests: probe {@code defaultHost} ({@code host[:port]}) instead of the metadata server. */
  public GcpProvider(String defaultHost) {
    this.defaultHost = defaultHost;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 900;
  }

  /** {@code GCE_METADATA_HOST} (tolerating an {@code http://} prefix and trailing slashes), or the default. */
  private String host(ProviderContext context) {
    String h = context.env("GCE_METADATA_HOST");
    h = h == null ? defaultHost : h.trim();
    if (h.regionMatches(true, 0, "http://", 0, 7)) {
      h = h.substring(7);
    }
    while (h.endsWith("/")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static HttpUrl url(String host, String path) {
    return HttpUrl.parse("http://" + host + path);
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    String configured = context.env("GCE_METADATA_HOST");
    if (configured != null) {
      return Applicability.applicable("GCE_METADATA_HOST is set (" + configured.trim() + ")");
    }
    String host = host(context);
    ProviderRuntime rt = ProviderRuntime.of(context);
    return probes.answer(host, context.clock(), h -> probe(rt, h));
  }

  private static Applicability probe(ProviderRuntime rt, String host) {
    HttpUrl url = url(host, "/computeMetadata/v1/");
    if (url == null) {
      return Applicability.notApplicable("the metadata host \"" + host + "\" is not a host[:port]");
    }
    OkHttpClient probeClient = rt.metadataHttp().newBuilder()
        .connectTimeout(PROBE_CONNECT)
        .readTimeout(PROBE_TOTAL)
        .callTimeout(PROBE_TOTAL)
        .build();
    Request request = new Request.Builder().url(url).header("Metadata-Flavor", "Google").get().build();
    try (Response response = probeClient.newCall(request).execute()) {
      Bodies.readUtf8(response, 64 * 1024);
      if ("Google".equals(response.header("Metadata-Flavor"))) {
        return Applicability.applicable("Google's metadata server answered at " + host);
      }
      return Applicability.notApplicable("something answered at " + host + " (HTTP " + response.code()
          + ") without Metadata-Flavor: Google: not Google Cloud");
    } catch (IOException e) {
      return Applicability.notApplicable("no Google metadata server at " + host + " (probe within "
          + PROBE_TOTAL.toMillis() + " ms: " + MetadataCall.describeIo(e) + ")");
    }
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    String host = host(context);
    HttpUrl base = url(host, IDENTITY_PATH);
    if (base == null) {
      throw new TokenSourceException(NAME, "GCE_METADATA_HOST is not a host[:port]: \"" + host + "\"");
    }
    String audience = context.config().audience();
    HttpUrl url = base.newBuilder()
        .addQueryParameter("audience", audience)
        .addQueryParameter("format", "full")
        .build();
    Request request = new Request.Builder().url(url).header("Metadata-Flavor", "Google").get().build();
    String describe = "GET " + base;
    HttpResult result = rt.metadataCall().execute(NAME, request, describe);
    if (!result.successful()) {
      throw failure(describe, result, audience);
    }
    if (!"Google".equals(result.headers.get("Metadata-Flavor"))) {
      throw new TokenSourceException(NAME, describe, result.status, false,
          describe + " answered without Metadata-Flavor: Google: this is not Google's metadata server", null);
    }
    String jwt = result.body.trim();
    Optional<JwtClaims> claims = JwtClaims.tryDecode(jwt);
    if (claims.isEmpty()) {
      throw new TokenSourceException(NAME, describe, result.status, false,
          describe + " answered with something that is not a JWT (sha256=" + Secrets.fingerprint(jwt) + ", "
              + jwt.length() + " characters)", null);
    }
    return SubjectToken.of(jwt, claims.get().expiresAt());
  }

  private static TokenSourceException failure(String describe, HttpResult result, String audience) {
    int s = result.status;
    String hint;
    if (result.redirectHint() != null) {
      hint = result.redirectHint();
    } else if (s == 404) {
      hint = "no default service account: attach one to the VM, or on GKE bind the pod's Kubernetes service "
          + "account to a Google service account (Workload Identity)";
    } else if (s == 403) {
      hint = "the metadata server refused: on GKE, check that Workload Identity is enabled for the node pool "
          + "and the pod's service account is allowed to impersonate its Google service account";
    } else if (s == 400) {
      hint = "the metadata server refused the request; check the audience \"" + audience + "\"";
    } else if (RetryPolicy.transientStatus(s)) {
      hint = "the metadata server kept failing; it usually recovers on its own";
    } else {
      hint = "unexpected answer from the metadata server";
    }
    String attempts = result.attempts > 1 ? " after " + result.attempts + " attempts" : "";
    return new TokenSourceException(NAME, describe, s, RetryPolicy.transientStatus(s) && s != 404,
        describe + " → HTTP " + s + attempts + ": " + (result.body.isBlank() ? "empty body" : "body: "
            + Secrets.excerpt(result.body, 200)) + ". " + hint, null);
  }
}
