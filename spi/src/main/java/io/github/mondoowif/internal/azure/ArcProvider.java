package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Azure Arc-enabled servers: {@code IDENTITY_ENDPOINT} + {@code IMDS_ENDPOINT} (without
 * {@code IDENTITY_HEADER}), or, with neither {@code IDENTITY_ENDPOINT} nor {@code MSI_ENDPOINT} set, an
 * installed agent ({@code /opt/azcmagent/bin/himds}; the endpoint is then
 * {@code http://127.0.0.1:40342/metadata/identity/oauth2/token}).
 *
 * <p>The flow is a challenge: {@code GET …?api-version=2020-06-01&resource=…} with {@code Metadata: true}
 * is answered 401 with {@code WWW-Authenticate: Basic realm=<key file>}; the file is validated (see
 * {@link ArcKeyFile}) and the GET repeated with {@code Authorization: Basic <content>}. Only root and the
 * {@code himds} group can read the key. System-assigned identity only.
 *
 * <p>For tests only, two system properties replace fixed paths of the machine:
 * {@value #TOKENS_DIR_PROPERTY} (the tokens directory, {@code /var/opt/azcmagent/tokens} on Linux,
 * {@code %ProgramData%\AzureConnectedMachineAgent\Tokens} on Windows) and {@value #HIMDS_PROPERTY} (the
 * agent file whose presence means Arc). They are read on every use. Internal.
 */
public final class ArcProvider implements CredentialProvider, AzureSource {
  public static final String NAME = "azure-arc";
  /** Test-only: replaces the tokens directory a challenge's key file must be in. */
  public static final String TOKENS_DIR_PROPERTY = "mondoo.wif.internal.arc-tokens-dir";
  /** Test-only: replaces the agent file whose existence detects Arc. */
  public static final String HIMDS_PROPERTY = "mondoo.wif.internal.arc-himds-path";
  static final String API_VERSION = "2020-06-01";
  static final String DEFAULT_ENDPOINT = "http://127.0.0.1:40342/metadata/identity/oauth2/token";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 600;
  }

  private static boolean windows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  static Path tokensDir(ProviderContext context) {
    String override = System.getProperty(TOKENS_DIR_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Paths.get(override.trim());
    }
    if (windows()) {
      String programData = context.env("ProgramData");
      return Paths.get(programData == null ? "C:\\ProgramData" : programData, "AzureConnectedMachineAgent", "Tokens");
    }
    return Paths.get("/var/opt/azcmagent/tokens");
  }

  static Path himds(ProviderContext context) {
    String override = System.getProperty(HIMDS_PROPERTY);
    if (override != null && !override.isBlank()) {
      return Paths.get(override.trim());
    }
    if (windows()) {
      String programFiles = context.env("ProgramFiles");
      return Paths.get(programFiles == null ? "C:\\Program Files" : programFiles, "AzureConnectedMachineAgent",
          "himds.exe");
    }
    return Paths.get("/opt/azcmagent/bin/himds");
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env("IDENTITY_ENDPOINT") != null) {
      if (context.env("IDENTITY_HEADER") != null) {
        return Applicability.notApplicable("IDENTITY_HEADER is set: that is App Service or Service Fabric, not Arc");
      }
      if (context.env("IMDS_ENDPOINT") == null) {
        return Applicability.notApplicable("IDENTITY_ENDPOINT is set without IMDS_ENDPOINT or IDENTITY_HEADER");
      }
      return Applicability.applicable("IDENTITY_ENDPOINT and IMDS_ENDPOINT are set (Azure Arc agent)");
    }
    if (context.env("MSI_ENDPOINT") != null) {
      return Applicability.notApplicable("MSI_ENDPOINT is set: not an Arc server");
    }
    Path himds = himds(context);
    boolean installed;
    try {
      installed = Files.exists(himds);
    } catch (SecurityException e) {
      installed = false;
    }
    return installed
        ? Applicability.applicable("the Azure Arc agent is installed (" + himds + " exists)")
        : Applicability.notApplicable("IDENTITY_ENDPOINT and IMDS_ENDPOINT are not set and " + himds + " does not exist");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    ManagedIdentity identity = ManagedIdentity.from(NAME, config).requireSystem(NAME, "Azure Arc");
    String configured = context.env("IDENTITY_ENDPOINT");
    HttpUrl endpoint = AzureEndpoints.url(NAME, "IDENTITY_ENDPOINT", configured == null ? DEFAULT_ENDPOINT : configured);
    HttpUrl url = endpoint.newBuilder()
        .addQueryParameter("api-version", API_VERSION)
        .addQueryParameter("resource", config.azureResource())
        .build();
    String describe = AzureEndpoints.describe("GET", url);
    String asked = "resource " + config.azureResource();

    Request challenge = new Request.Builder().url(url).header("Metadata", "true").get().build();
    HttpResult first = rt.metadataCall().execute(NAME, challenge, describe);
    if (first.status != 401) {
      if (first.successful()) {
        throw new TokenSourceException(NAME, describe, first.status, false,
            describe + " → HTTP " + first.status + " without the 401 challenge the Arc agent sends: "
                + "this endpoint is not an Arc agent", null);
      }
      throw AzureErrors.failure(NAME, describe, first, asked, identity.describe());
    }
    String realm = realm(first.headers.get("WWW-Authenticate"));
    if (realm == null) {
      throw new TokenSourceException(NAME, describe, 401, false,
          describe + " → HTTP 401 without a \"WWW-Authenticate: Basic realm=<key file>\" header: "
              + "this endpoint is not an Arc agent", null);
    }
    String key = ArcKeyFile.read(NAME, realm, tokensDir(context));

    Request answer = new Request.Builder()
        .url(url)
        .header("Metadata", "true")
        .header("Authorization", "Basic " + key)
        .get()
        .build();
    HttpResult second = rt.metadataCall().execute(NAME, answer, describe);
    if (!second.successful()) {
      throw AzureErrors.failure(NAME, describe + " (with the key from the challenge)", second, asked,
          identity.describe());
    }
    return AzureTokenResponse.parse(NAME, describe, second.body, Instant.now(context.clock()));
  }

  /** The path in {@code Basic realm=<path>} (quotes allowed), or {@code null}. */
  static String realm(String header) {
    if (header == null) {
      return null;
    }
    int at = header.toLowerCase(Locale.ROOT).indexOf("realm=");
    if (at < 0) {
      return null;
    }
    String v = header.substring(at + "realm=".length()).trim();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return v.isEmpty() ? null : v;
  }
}
