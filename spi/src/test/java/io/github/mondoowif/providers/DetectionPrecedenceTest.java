package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.azure.AppService2017Provider;
import io.github.mondoowif.internal.azure.AppServiceProvider;
import io.github.mondoowif.internal.azure.ArcProvider;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.internal.azure.ImdsProvider;
import io.github.mondoowif.internal.azure.ServiceFabricProvider;
import io.github.mondoowif.internal.azure.WorkloadIdentityProvider;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.file.JwtEnvProvider;
import io.github.mondoowif.internal.file.TokenFileProvider;
import io.github.mondoowif.internal.gcp.GcpProvider;
import io.github.mondoowif.internal.github.GitHubActionsProvider;
import io.github.mondoowif.spi.CredentialProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which source wins when several markers are present, and that the network probes (GCP, IMDS) only run
 * when no marker matched. Every probe goes to {@link #metadata}, a loopback server that counts requests.
 */
class DetectionPrecedenceTest {
  @StartStop final MockWebServer metadata = new MockWebServer();
  @TempDir Path dir;

  static final String JWT = ProviderTesting.jwt("https://issuer.example", "s", "a",
      ProviderTesting.NOW.plusSeconds(600));

  @BeforeEach
  void noArcAgentOnThisMachine() {
    System.setProperty(ArcProvider.HIMDS_PROPERTY, dir.resolve("no-himds").toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(ArcProvider.HIMDS_PROPERTY);
  }

  /** The built-ins, with GCP's probe pointed at the counting server instead of the metadata address. */
  ProviderRegistry registry() {
    return ProviderRegistry.of(List.of(new TokenFileProvider(), new JwtEnvProvider(), new WorkloadIdentityProvider(),
        new ServiceFabricProvider(), new AppServiceProvider(), new AppService2017Provider(), new CloudShellProvider(),
        new ArcProvider(), new GitHubActionsProvider(), new GcpProvider(metadata.getHostName() + ":" + metadata.getPort()),
        new ImdsProvider()));
  }

  /** Every marker of every source at once, plus the IMDS host pointed at the counting server. */
  Map<String, String> everything() {
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", metadata.url("/").toString());
    env.put("JWT_TOKEN", JWT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token");
    env.put("AZURE_TENANT_ID", "t");
    env.put("IDENTITY_ENDPOINT", "http://127.0.0.1:9/msi/token");
    env.put("IDENTITY_HEADER", "h");
    env.put("IDENTITY_SERVER_THUMBPRINT", "AB".repeat(20));
    env.put("MSI_ENDPOINT", "http://127.0.0.1:9/MSI/token");
    env.put("MSI_SECRET", "s");
    env.put("IMDS_ENDPOINT", "http://127.0.0.1:9");
    env.put("ACTIONS_ID_TOKEN_REQUEST_URL", "http://127.0.0.1:9/token?api-version=2.0");
    env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "r");
    env.put("GCE_METADATA_HOST", "127.0.0.1:9");
    return env;
  }

  String selected(MondooWifConfig config, Map<String, String> env) throws Exception {
    return registry().select(runtime(config, env)).name();
  }

  String selected(Map<String, String> env) throws Exception {
    return selected(ProviderTesting.config(), env);
  }

  static Map<String, String> without(Map<String, String> env, String... names) {
    Map<String, String> copy = new HashMap<>(env);
    for (String n : names) {
      copy.remove(n);
    }
    return copy;
  }

  @Test
  void serviceLoader_findsEveryBuiltInInPriorityOrder() {
    List<CredentialProvider> found = ProviderRegistry.load(getClass().getClassLoader()).providers();
    List<String> names = new ArrayList<>();
    List<Integer> priorities = new ArrayList<>();
    for (CredentialProvider p : found) {
      names.add(p.name());
      priorities.add(p.priority());
    }
    assertThat(names).containsExactly("token-file", "jwt-env", "azure-workload-identity", "azure-service-fabric",
        "azure-app-service", "azure-app-service-2017", "azure-cloud-shell", "azure-arc", "github-actions", "gcp",
        "azure-imds");
    assertThat(priorities).containsExactly(10, 20, 100, 200, 300, 400, 500, 600, 700, 900, 1000);
  }

  @Test
  void azureProviders_allCarryTheAzureMarkerAndNoOthersDo() {
    for (CredentialProvider p : registry().providers()) {
      assertThat(p instanceof AzureSource).as(p.name()).isEqualTo(p.name().startsWith("azure-"));
    }
  }

  @Test
  void select_tokenFileConfigured_winsOverEveryMarker() throws Exception {
    var config = ProviderTesting.config(b -> b.setting("token-file", "/t"));
    assertThat(selected(config, everything())).isEqualTo("token-file");
  }

  @Test
  void select_jwtTokenSet_winsOverDetectedSources() throws Exception {
    assertThat(selected(everything())).isEqualTo("jwt-env");
  }

  @Test
  void select_workloadIdentityAndEveryAzureHost_workloadIdentityWins() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN"))).isEqualTo("azure-workload-identity");
  }

  @Test
  void select_serviceFabricMarkers_winOverAppServiceAndLegacy() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE")))
        .isEqualTo("azure-service-fabric");
  }

  @Test
  void select_appServiceBothApis_prefersThe2019One() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE",
        "IDENTITY_SERVER_THUMBPRINT"))).isEqualTo("azure-app-service");
  }

  @Test
  void select_msiEndpointAndSecret_isAppService2017NotCloudShell() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT")))
        .isEqualTo("azure-app-service-2017");
  }

  @Test
  void select_msiEndpointAlone_isCloudShellAheadOfGitHub() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT",
        "MSI_SECRET"))).isEqualTo("azure-cloud-shell");
  }

  @Test
  void select_arcEndpoints_winOverGitHubAndGcp() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_HEADER",
        "MSI_ENDPOINT"))).isEqualTo("azure-arc");
  }

  @Test
  void select_gitHubActionsOnAGoogleRunner_isGitHub() throws Exception {
    assertThat(selected(without(everything(), "JWT_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT",
        "MSI_ENDPOINT"))).isEqualTo("github-actions");
  }

  @Test
  void select_gceMetadataHostOnly_isGcp() throws Exception {
    assertThat(selected(Map.of("GCE_METADATA_HOST", "127.0.0.1:9",
        "AZURE_POD_IDENTITY_AUTHORITY_HOST", metadata.url("/").toString()))).isEqualTo("gcp");
    assertThat(metadata.getRequestCount()).isZero();
  }

  @Test
  void select_anyEnvironmentMarker_neverProbes() throws Exception {
    List<Map<String, String>> markers = List.of(
        Map.of("JWT_TOKEN", JWT),
        Map.of("AZURE_FEDERATED_TOKEN_FILE", "/f", "AZURE_TENANT_ID", "t"),
        Map.of("IDENTITY_ENDPOINT", "https://127.0.0.1:9/", "IDENTITY_HEADER", "h", "IDENTITY_SERVER_THUMBPRINT", "AB".repeat(20)),
        Map.of("IDENTITY_ENDPOINT", "http://127.0.0.1:9/", "IDENTITY_HEADER", "h"),
        Map.of("MSI_ENDPOINT", "http://127.0.0.1:9/", "MSI_SECRET", "s"),
        Map.of("MSI_ENDPOINT", "http://127.0.0.1:9/"),
        Map.of("IDENTITY_ENDPOINT", "http://127.0.0.1:9/", "IMDS_ENDPOINT", "http://127.0.0.1:9"),
        Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", "http://127.0.0.1:9/t", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "r"));
    List<String> chosen = new ArrayList<>();
    for (Map<String, String> marker : markers) {
      Map<String, String> env = new HashMap<>(marker);
      env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", metadata.url("/").toString());
      chosen.add(selected(env));
    }

    assertThat(chosen).containsExactly("jwt-env", "azure-workload-identity", "azure-service-fabric",
        "azure-app-service", "azure-app-service-2017", "azure-cloud-shell", "azure-arc", "github-actions");
    assertThat(metadata.getRequestCount()).as("probe requests").isZero();
  }

  @Test
  void select_noMarkerAndGoogleAnswers_isGcpAfterOneProbe() throws Exception {
    metadata.enqueue(new MockResponse.Builder().code(200).addHeader("Metadata-Flavor", "Google").build());

    assertThat(selected(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", metadata.url("/").toString()))).isEqualTo("gcp");
    assertThat(metadata.getRequestCount()).isEqualTo(1);
    assertThat(metadata.takeRequest().getUrl().encodedPath()).isEqualTo("/computeMetadata/v1/");
  }

  @Test
  void select_noMarkerAndAzureImdsAnswers_isImdsAfterTheGcpProbeFails() throws Exception {
    metadata.enqueue(new MockResponse.Builder().code(404).build()); // GCP probe: no Metadata-Flavor
    metadata.enqueue(new MockResponse.Builder().code(400).build()); // IMDS probe: answered

    assertThat(selected(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", metadata.url("/").toString())))
        .isEqualTo("azure-imds");
    assertThat(metadata.takeRequest().getUrl().encodedPath()).isEqualTo("/computeMetadata/v1/");
    assertThat(metadata.takeRequest().getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
  }
}
