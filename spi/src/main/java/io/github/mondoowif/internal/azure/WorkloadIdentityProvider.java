package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.file.TokenFiles;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.file.Path;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Microsoft Entra Workload ID (AKS, or any Kubernetes cluster with the azure-workload-identity webhook):
 * {@code AZURE_FEDERATED_TOKEN_FILE} + {@code AZURE_TENANT_ID}. The projected service-account token in
 * that file is sent as the client assertion of a client-credentials grant to
 * {@code {AZURE_AUTHORITY_HOST}/{tenant}/oauth2/v2.0/token}, asking for
 * {@code scope=<mondoo.wif.azure.resource>/.default}.
 *
 * <p>The file is read again on every fetch: the kubelet rotates it at 80% of its life and a stale one
 * fails with {@code AADSTS700024}. The client id is {@code mondoo.wif.azure.client-id} when set, else
 * {@code AZURE_CLIENT_ID}. Entra's endpoint is remote, so this provider goes through the application's
 * proxy (the STS client), unlike the local metadata endpoints. Internal.
 */
public final class WorkloadIdentityProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-workload-identity";
  static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";
  static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("AZURE_FEDERATED_TOKEN_FILE") == null) {
      return Applicability.notApplicable("AZURE_FEDERATED_TOKEN_FILE is not set");
    }
    if (context.env("AZURE_TENANT_ID") == null) {
      return Applicability.notApplicable("AZURE_FEDERATED_TOKEN_FILE is set but AZURE_TENANT_ID is not");
    }
    return Applicability.applicable("AZURE_FEDERATED_TOKEN_FILE and AZURE_TENANT_ID are set (workload identity)");
  }

  /** {@code AZURE_AUTHORITY_HOST} without trailing slashes, or Entra's public cloud. */
  static String authority(ProviderContext context) {
    String a = context.env("AZURE_AUTHORITY_HOST");
    a = a == null ? DEFAULT_AUTHORITY : a.trim();
    while (a.endsWith("/")) {
      a = a.substring(0, a.length() - 1);
    }
    return a;
  }

  /**
   * {@code <resource>/.default}, as the issue and Entra's v1-resource rule have it: a resource that ends in
   * {@code /} (such as {@code https://management.azure.com/}) gives {@code …//.default}, which is what makes
   * Entra put the resource, slash included, into the token's {@code aud}.
   */
  static String scope(String resource) {
    return resource.endsWith("/.default") ? resource : resource + "/.default";
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    String fileName = context.env("AZURE_FEDERATED_TOKEN_FILE");
    String tenant = context.env("AZURE_TENANT_ID");
    if (fileName == null || tenant == null) {
      throw new TokenSourceException(NAME,
          "AZURE_FEDERATED_TOKEN_FILE and AZURE_TENANT_ID must both be set; is the pod labelled "
              + "azure.workload.identity/use: \"true\" and its service account annotated with a client id?");
    }
    String clientId = config.azureClientId() != null ? config.azureClientId() : context.env("AZURE_CLIENT_ID");
    if (clientId == null) {
      throw new TokenSourceException(NAME,
          "no client id: AZURE_CLIENT_ID is not set (the webhook sets it from the service account's "
              + "azure.workload.identity/client-id annotation); or set " + ConfigKeys.PREFIX
              + ConfigKeys.AZURE_CLIENT_ID);
    }
    String authority = authority(context);
    HttpUrl base = HttpUrl.parse(authority);
    if (base == null) {
      throw new TokenSourceException(NAME, "AZURE_AUTHORITY_HOST is not an http(s) URL: \"" + authority + "\"");
    }
    HttpUrl url = base.newBuilder().addPathSegment(tenant.trim()).addPathSegments("oauth2/v2.0/token").build();

    Path file = TokenFiles.path(NAME, "AZURE_FEDERATED_TOKEN_FILE", fileName);
    String assertion = TokenFiles.readJwt(NAME, file, "AZURE_FEDERATED_TOKEN_FILE");
    String resource = config.azureResource();
    Request request = new Request.Builder()
        .url(url)
        .post(new FormBody.Builder()
            .add("grant_type", "client_credentials")
            .add("client_id", clientId.trim())
            .add("client_assertion", assertion)
            .add("client_assertion_type", ASSERTION_TYPE)
            .add("scope", scope(resource))
            .build())
        .build();
    String describe = "POST " + url;
    MetadataCall call = new MetadataCall(
        HttpClients.sts(config.requestTimeout()), rt.retryPolicy(), rt.sleeper(), rt.clock(), rt.random());
    HttpResult result = call.execute(NAME, request, describe);
    if (!result.successful()) {
      throw AzureErrors.entraFailure(NAME, describe + " (client id " + clientId.trim() + ")", result);
    }
    return AzureTokenResponse.parse(NAME, describe, result.body, Instant.now(context.clock()));
  }
}
