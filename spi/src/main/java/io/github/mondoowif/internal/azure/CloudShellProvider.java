package io.github.mondoowif.internal.azure;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Azure Cloud Shell: {@code MSI_ENDPOINT} alone (no {@code MSI_SECRET}). A form POST of
 * {@code resource=…} with {@code Metadata: true}: the seed's exact curl. System identity only.
 */
public final class CloudShellProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-cloud-shell";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 500;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("MSI_ENDPOINT") == null) {
      return Applicability.notApplicable("MSI_ENDPOINT is not set");
    }
    if (context.env("MSI_SECRET") != null) {
      return Applicability.notApplicable("MSI_SECRET is set too: that is App Service (2017), not Cloud Shell");
    }
    if (context.env("IDENTITY_ENDPOINT") != null) {
      return Applicability.notApplicable("IDENTITY_ENDPOINT is set too: not Cloud Shell");
    }
    return Applicability.applicable("MSI_ENDPOINT is set without MSI_SECRET");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    String endpoint = context.env("MSI_ENDPOINT");
    if (endpoint == null) {
      throw new TokenSourceException(NAME, "MSI_ENDPOINT is not set; this is not Azure Cloud Shell");
    }
    HttpUrl url = HttpUrl.parse(endpoint.trim());
    if (url == null) {
      throw new TokenSourceException(NAME, "MSI_ENDPOINT is not a URL: \"" + endpoint + "\"");
    }
    ManagedIdentity.from(NAME, context.config()).requireSystem(NAME, "Azure Cloud Shell");
    String resource = context.config().azureResource();
    Request request = new Request.Builder()
        .url(url)
        .header("Metadata", "true")
        .post(new FormBody.Builder().add("resource", resource).build())
        .build();
    String describe = "POST " + url.newBuilder().query(null).build();
    return AzureTokenResponse.fetch(rt, NAME, request, describe, resource, "system identity");
  }
}
