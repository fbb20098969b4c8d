package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProbeMemory;
import io.github.mondoowif.internal.http.Bodies;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Azure Instance Metadata Service: VMs, scale sets, AKS nodes, container instances. The fallback on Azure,
 * found by a bounded probe. {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} replaces
 * {@code http://169.254.169.254}. User-assigned identities through {@code mondoo.wif.azure.client-id},
 * {@code .object-id} or {@code .msi-res-id}.
 */
public final class ImdsProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-imds";
  static final String DEFAULT_HOST = "http://169.254.169.254";
  static final String TEST_HOST_PROPERTY = "mondoo.wif.internal.imds-default-host";
  static final String PATH = "/metadata/identity/oauth2/token";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final ProbeMemory probes = new ProbeMemory();


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 1000;
  }

  static String host(ProviderContext context) {
    String h = context.env("AZURE_POD_IDENTITY_AUTHORITY_HOST");
    // The system property exists for this project's own builds only: no test may reach 169.254.169.254.
    h = h == null ? System.getProperty(TEST_HOST_PROPERTY, DEFAULT_HOST) : h.trim();
    while (h.endsWith("/")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    String host = host(context);
    ProviderRuntime rt = ProviderRuntime.of(context);
    return probes.answer(host, context.clock(), h -> probe(rt, h));
  }

  private static Applicability probe(ProviderRuntime rt, String host) {
    HttpUrl url = HttpUrl.parse(host + PATH + "?api-version=2018-02-01");
    if (url == null) {
      return Applicability.notApplicable("AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL: \"" + host + "\"");
    }
    OkHttpClient probeClient = rt.metadataHttp().newBuilder()
        .connectTimeout(PROBE_TIMEOUT)
        .readTimeout(PROBE_TIMEOUT)
        .callTimeout(PROBE_TIMEOUT)
        .build();
    // No Metadata header: IMDS answers 400 at once, which is enough to know it is there.
    Request request = new Request.Builder().url(url).get().build();
    try (Response response = probeClient.newCall(request).execute()) {
      String body = Bodies.readUtf8(response, 64 * 1024);
      if (response.code() == 403 && body.contains("unreachable network")) {
        return Applicability.notApplicable(
            "no IMDS at " + host + ": HTTP 403 \"unreachable network\" (Docker Desktop answers this off Azure)");
      }
      return Applicability.applicable("IMDS answered at " + host + " (HTTP " + response.code() + " to a probe)");
    } catch (IOException e) {
      return Applicability.notApplicable(
          "no IMDS at " + host + " (probe within " + PROBE_TIMEOUT.toMillis() + " ms: "
              + MetadataCall.describeIo(e) + ")");
    }
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    String host = host(context);
    HttpUrl base = HttpUrl.parse(host + PATH);
    if (base == null) {
      throw new TokenSourceException(NAME, "AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL: \"" + host + "\"");
    }
    ManagedIdentity identity = ManagedIdentity.from(NAME, config);
    HttpUrl.Builder url = base.newBuilder()
        .addQueryParameter("api-version", "2018-02-01")
        .addQueryParameter("resource", config.azureResource());
    if (!identity.system()) {
      url.addQueryParameter(parameter(identity.selector), identity.value);
    }
    HttpUrl built = url.build();
    Request request = new Request.Builder().url(built).header("Metadata", "true").get().build();
    String describe = "GET " + base;
    return AzureTokenResponse.fetch(rt, NAME, request, describe, config.azureResource(), identity.describe());
  }

  private static String parameter(ManagedIdentity.Selector selector) {
    switch (selector) {
      case CLIENT_ID:
        return "client_id";
      case OBJECT_ID:
        return "object_id";
      default:
        return "msi_res_id";
    }
  }
}
