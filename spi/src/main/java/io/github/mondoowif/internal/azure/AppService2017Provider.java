package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The legacy App Service endpoint (older App Service sandboxes, Azure Machine Learning):
 * {@code MSI_ENDPOINT} + {@code MSI_SECRET}. {@code GET {endpoint}?api-version=2017-09-01&resource=…} with
 * header {@code secret}; a user-assigned identity only by {@code clientid}. Its {@code expires_on} is a
 * date string such as {@code 06/19/2019 23:42:01 +00:00}. Where the 2019 endpoint is also offered
 * ({@code IDENTITY_ENDPOINT} + {@code IDENTITY_HEADER}), {@code azure-app-service} is used instead.
 * Internal.
 */
public final class AppService2017Provider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-app-service-2017";
  static final String API_VERSION = "2017-09-01";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 400;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("MSI_ENDPOINT") == null) {
      return Applicability.notApplicable("MSI_ENDPOINT is not set");
    }
    if (context.env("MSI_SECRET") == null) {
      return Applicability.notApplicable("MSI_ENDPOINT is set but MSI_SECRET is not (that is Cloud Shell)");
    }
    if (context.env("IDENTITY_ENDPOINT") != null && context.env("IDENTITY_HEADER") != null) {
      return Applicability.notApplicable(
          "IDENTITY_ENDPOINT and IDENTITY_HEADER are set too: the 2019 endpoint (azure-app-service) is preferred");
    }
    return Applicability.applicable("MSI_ENDPOINT and MSI_SECRET are set (App Service 2017 API)");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    HttpUrl endpoint = AzureEndpoints.url(NAME, "MSI_ENDPOINT", context.env("MSI_ENDPOINT"));
    String secret = AzureEndpoints.secret(NAME, "MSI_SECRET", context.env("MSI_SECRET"));
    ManagedIdentity identity = ManagedIdentity.from(NAME, config);
    HttpUrl.Builder url = endpoint.newBuilder()
        .addQueryParameter("api-version", API_VERSION)
        .addQueryParameter("resource", config.azureResource());
    if (identity.selector == ManagedIdentity.Selector.CLIENT_ID) {
      url.addQueryParameter("clientid", identity.value);
    } else if (!identity.system()) {
      throw new TokenSourceException(NAME,
          "the 2017-09-01 App Service endpoint names a user-assigned identity only by client id: set "
              + ConfigKeys.PREFIX + ConfigKeys.AZURE_CLIENT_ID + " instead of " + ConfigKeys.PREFIX
              + identity.selector.key);
    }
    HttpUrl built = url.build();
    Request request = new Request.Builder().url(built).header("secret", secret).get().build();
    String describe = AzureEndpoints.describe("GET", built);
    return AzureTokenResponse.fetch(rt, NAME, request, describe, config.azureResource(), identity.describe());
  }
}
