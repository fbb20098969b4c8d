package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Azure Service Fabric: {@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER} + {@code IDENTITY_SERVER_THUMBPRINT}.
 * {@code GET {endpoint}?api-version=2019-07-01-preview&resource=…} with {@code Secret: {IDENTITY_HEADER}},
 * over https whose server certificate is trusted only by its SHA-1 thumbprint; the host name is not
 * checked (the cluster certificate does not name the node), there is no proxy and no redirect.
 *
 * <p>User-assigned identities are chosen in the application manifest, not per request: a configured one
 * is reported once and not sent. Internal.
 */
public final class ServiceFabricProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-service-fabric";
  static final String API_VERSION = "2019-07-01-preview";

  private final AtomicBoolean userAssignedWarned = new AtomicBoolean();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 200;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("IDENTITY_ENDPOINT") == null) {
      return Applicability.notApplicable("IDENTITY_ENDPOINT is not set");
    }
    if (context.env("IDENTITY_HEADER") == null) {
      return Applicability.notApplicable("IDENTITY_HEADER is not set");
    }
    if (context.env("IDENTITY_SERVER_THUMBPRINT") == null) {
      return Applicability.notApplicable("IDENTITY_SERVER_THUMBPRINT is not set (without it, this is App Service)");
    }
    return Applicability.applicable(
        "IDENTITY_ENDPOINT, IDENTITY_HEADER and IDENTITY_SERVER_THUMBPRINT are set (Service Fabric)");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    HttpUrl endpoint = AzureEndpoints.url(NAME, "IDENTITY_ENDPOINT", context.env("IDENTITY_ENDPOINT"));
    if (!endpoint.isHttps()) {
      throw new TokenSourceException(NAME, "IDENTITY_ENDPOINT must be https for Service Fabric (the server is "
          + "trusted by its certificate thumbprint), but is " + endpoint.newBuilder().query(null).build());
    }
    String secret = AzureEndpoints.secret(NAME, "IDENTITY_HEADER", context.env("IDENTITY_HEADER"));
    String thumbprint = context.env("IDENTITY_SERVER_THUMBPRINT");
    if (thumbprint == null) {
      throw new TokenSourceException(NAME, "IDENTITY_SERVER_THUMBPRINT is not set");
    }
    ThumbprintTrustManager trust;
    try {
      trust = new ThumbprintTrustManager(ThumbprintTrustManager.parse(thumbprint.trim()));
    } catch (IllegalArgumentException e) {
      throw new TokenSourceException(NAME,
          "IDENTITY_SERVER_THUMBPRINT \"" + thumbprint.trim() + "\" is not a SHA-1 thumbprint: " + e.getMessage());
    }
    ManagedIdentity identity = ManagedIdentity.from(NAME, config);
    if (!identity.system() && userAssignedWarned.compareAndSet(false, true)) {
      Log.warn(NAME + ": the " + identity + " is not sent: Service Fabric chooses user-assigned identities in "
          + "the application manifest, not per request");
    }
    HttpUrl url = endpoint.newBuilder()
        .addQueryParameter("api-version", API_VERSION)
        .addQueryParameter("resource", config.azureResource())
        .build();
    Request request = new Request.Builder().url(url).header("Secret", secret).get().build();
    String describe = AzureEndpoints.describe("GET", url);
    MetadataCall call = new MetadataCall(client(rt, trust), rt.retryPolicy(), rt.sleeper(), rt.clock(), rt.random());
    HttpResult result;
    try {
      result = call.execute(NAME, request, describe);
    } catch (TokenSourceException e) {
      ThumbprintTrustManager.ThumbprintMismatchException mismatch = mismatch(e);
      if (mismatch != null) {
        throw new TokenSourceException(NAME, describe, 0, false,
            describe + ": refused the server: its certificate's SHA-1 thumbprint is " + mismatch.actual
                + " but IDENTITY_SERVER_THUMBPRINT is " + mismatch.expected
                + ". Service Fabric sets both; a mismatch means another server answered", e);
      }
      throw e;
    }
    if (!result.successful()) {
      throw AzureErrors.failure(NAME, describe, result, "resource " + config.azureResource(), identity.describe());
    }
    return AzureTokenResponse.parse(NAME, describe, result.body, Instant.now(context.clock()));
  }

  /** The metadata client (no proxy, no redirects, bounded) with TLS pinned to the thumbprint. */
  private static OkHttpClient client(ProviderRuntime rt, ThumbprintTrustManager trust) throws TokenSourceException {
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trust}, null);
    } catch (GeneralSecurityException e) {
      throw new TokenSourceException(NAME, null, 0, false, "cannot set up TLS: " + e, e);
    }
    return rt.metadataHttp().newBuilder()
        .connectionSpecs(HttpClients.TLS_AND_CLEARTEXT) // the metadata client itself is plain http only
        .sslSocketFactory(tls.getSocketFactory(), trust)
        .hostnameVerifier((host, session) -> true)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  private static ThumbprintTrustManager.ThumbprintMismatchException mismatch(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ThumbprintTrustManager.ThumbprintMismatchException) {
        return (ThumbprintTrustManager.ThumbprintMismatchException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
