package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Azure App Service, Functions and Container Apps: {@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}
 * (without Service Fabric's thumbprint). {@code GET {endpoint}?api-version=2019-08-01&resource=…} with
 * {@code X-IDENTITY-HEADER}; a user-assigned identity by {@code client_id}, {@code object_id} or
 * {@code mi_res_id}. The header is read from the environment for every request: the platform may rotate
 * it. Internal.
 */
public final class AppServiceProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-app-service";
  static final String API_VERSION = "2019-08-01";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 300;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("IDENTITY_ENDPOINT") == null) {
      return Applicability.notApplicable("IDENTITY_ENDPOINT is not set");
    }
    if (context.env("IDENTITY_HEADER") == null) {
      return Applicability.notApplicable("IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not");
    }
    if (context.env("IDENTITY_SERVER_THUMBPRINT") != null) {
      return Applicability.notApplicable("IDENTITY_SERVER_THUMBPRINT is set too: that is Service Fabric");
    }
    return Applicability.applicable("IDENTITY_ENDPOINT and IDENTITY_HEADER are set (App Service, Functions, Container Apps)");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    HttpUrl endpoint = AzureEndpoints.url(NAME, "IDENTITY_ENDPOINT", context.env("IDENTITY_ENDPOINT"));
    String secret = AzureEndpoints.secret(NAME, "IDENTITY_HEADER", context.env("IDENTITY_HEADER"));
    ManagedIdentity identity = ManagedIdentity.from(NAME, config);
    HttpUrl.Builder url = endpoint.newBuilder()
        .addQueryParameter("api-version", API_VERSION)
        .addQueryParameter("resource", config.azureResource());
    if (!identity.system()) {
      url.addQueryParameter(parameter(identity.selector), identity.value);
    }
    HttpUrl built = url.build();
    Request request = new Request.Builder().url(built).header("X-IDENTITY-HEADER", secret).get().build();
    String describe = AzureEndpoints.describe("GET", built);
    return AzureTokenResponse.fetch(rt, NAME, request, describe, config.azureResource(), identity.describe());
  }

  private static String parameter(ManagedIdentity.Selector selector) {
    switch (selector) {
      case CLIENT_ID:
        return "client_id";
      case OBJECT_ID:
        return "object_id";
      default:
        return "mi_res_id";
    }
  }
}
