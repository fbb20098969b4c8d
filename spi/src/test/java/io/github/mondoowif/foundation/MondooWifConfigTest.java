package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MondooWifConfigTest {
  static final String SPACE = "//captain.api.mondoo.app/spaces/space-from-file";
  static final String CONSOLE_FILE = "{\"universeDomain\":\"https://eu.api.mondoo.com\","
      + "\"scopes\":[\"//iam.api.mondoo.app/roles/agent\"],\"type\":\"external_account\","
      + "\"audience\":\"" + SPACE + "\",\"subjectTokenType\":\"urn:ietf:params:oauth:token-type:jwt\","
      + "\"issuerUri\":\"https://sts.windows.net/tenant-1/\"}";

  @TempDir Path dir;

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private static MondooWifConfig load(Map<String, String> env, Map<String, String> props) throws ConfigException {
    return MondooWifConfig.load(env, props, Map.of(), "agent argument");
  }

  private static ConfigException loadFailure(Map<String, String> env, Map<String, String> props) {
    return catchThrowableOfType(ConfigException.class, () -> load(env, props));
  }

  // --- the WIF file ---

  @Test
  void load_consoleFileNamedBySystemProperty_readsItsFieldsAndRemembersTheirOrigin() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE);

    MondooWifConfig c = load(Map.of(), Map.of("mondoo.wif.config", file.toString()));

    assertThat(c.audience()).isEqualTo(SPACE);
    assertThat(c.issuer()).isEqualTo("https://sts.windows.net/tenant-1/");
    assertThat(c.universeDomain()).isEqualTo("https://eu.api.mondoo.com");
    assertThat(c.originOf(ConfigKeys.AUDIENCE)).isEqualTo("file " + file + " (audience)");
    assertThat(c.originOf(ConfigKeys.ISSUER)).isEqualTo("file " + file + " (issuerUri)");
    assertThat(c.originOf(ConfigKeys.SOURCE)).isEqualTo("default");
  }

  @Test
  void load_consoleFileNamedByEnvironment_isRead() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE);

    MondooWifConfig c = load(Map.of("MONDOO_WIF_CONFIG", file.toString()), Map.of());

    assertThat(c.audience()).isEqualTo(SPACE);
  }

  @Test
  void load_consoleFileJwtToken_isReadAsSecretSetting() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE.replace("}", ",\"jwtToken\":\"static-secret-token\"}"));

    MondooWifConfig c = load(Map.of("MONDOO_WIF_CONFIG", file.toString()), Map.of());

    assertThat(c.setting(ConfigKeys.JWT_TOKEN)).contains("static-secret-token");
    assertThat(c.toString()).contains("jwt-token=<secret>").doesNotContain("static-secret-token");
  }

  @Test
  void load_mondooConfigPathExternalAccount_isRead() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE);

    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", file.toString()), Map.of());

    assertThat(c.audience()).isEqualTo(SPACE);
    assertThat(c.originOf(ConfigKeys.AUDIENCE)).startsWith("file " + file);
  }

  @Test
  void load_mondooConfigPathOrdinaryYamlConfig_isIgnored() throws Exception {
    Path yaml = write("mondoo.yml", "agent_mrn: //agents.api.mondoo.app/spaces/s/agents/a\n"
        + "api_endpoint: https://us.api.mondoo.com\nprivate_key: |\n  -----BEGIN PRIVATE KEY-----\n");

    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", yaml.toString(), "MONDOO_WIF_AUDIENCE", "//env"), Map.of());

    assertThat(c.audience()).isEqualTo("//env");
    assertThat(c.keys()).containsExactly(ConfigKeys.AUDIENCE);
  }

  @Test
  void load_mondooConfigPathServiceAccountJson_isIgnored() throws Exception {
    Path json = write("sa.json", "{\"mrn\":\"//agents/x\",\"private_key\":\"k\",\"certificate\":\"c\"}");

    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", json.toString(), "MONDOO_WIF_AUDIENCE", "//env"), Map.of());

    assertThat(c.audience()).isEqualTo("//env");
  }

  @Test
  void load_mondooConfigPathMissingFile_isIgnored() throws Exception {
    MondooWifConfig c = load(
        Map.of("MONDOO_CONFIG_PATH", dir.resolve("nope.yml").toString(), "MONDOO_WIF_AUDIENCE", "//env"), Map.of());

    assertThat(c.audience()).isEqualTo("//env");
  }

  @Test
  void load_mondooConfigPathUnreadable_isIgnored() throws Exception {
    // A directory stands in for a file this process may not read (tests run as any user, even root).
    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", dir.toString(), "MONDOO_WIF_AUDIENCE", "//env"), Map.of());

    assertThat(c.audience()).isEqualTo("//env");
  }

  @Test
  void load_mondooConfigPathOverOneMebibyte_isIgnored() throws Exception {
    Path big = write("big.yml", "#".repeat((1 << 20) + 1));

    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", big.toString(), "MONDOO_WIF_AUDIENCE", "//env"), Map.of());

    assertThat(c.audience()).isEqualTo("//env");
  }

  @Test
  void load_explicitFileOverOneMebibyte_failsSayingSo() throws Exception {
    Path big = write("big.json", "#".repeat((1 << 20) + 1));

    ConfigException e = loadFailure(Map.of("MONDOO_WIF_CONFIG", big.toString()), Map.of());

    assertThat(e.getMessage()).contains(big.toString(), "larger than 1 MiB");
  }

  @Test
  void load_explicitFileIsAFifo_failsAtOnceInsteadOfBlocking() throws Exception {
    Path fifo = dir.resolve("wif.fifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");

    ConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> loadFailure(Map.of("MONDOO_WIF_CONFIG", fifo.toString()), Map.of()));

    assertThat(e.getMessage()).contains(fifo.toString(), "is not a regular file");
  }

  @Test
  void load_explicitFileIsAnEndlessDevice_failsWithoutReadingIt() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero), "/dev/zero exists");

    ConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> loadFailure(Map.of("MONDOO_WIF_CONFIG", zero.toString()), Map.of()));

    assertThat(e.getMessage()).contains("/dev/zero", "is not a regular file");
  }

  @Test
  void load_mondooConfigPathIsADirectory_isIgnored() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("mondoo.d"));

    MondooWifConfig c = load(Map.of("MONDOO_CONFIG_PATH", directory.toString(), "MONDOO_WIF_AUDIENCE", "//env"),
        Map.of());

    assertThat(c.audience()).isEqualTo("//env");
  }

  @Test
  void load_explicitFileAndMondooConfigPath_onlyTheExplicitFileIsRead() throws Exception {
    Path explicit = write("explicit.json", CONSOLE_FILE);
    Path other = write("other.json", CONSOLE_FILE.replace(SPACE, "//other"));

    MondooWifConfig c = load(Map.of("MONDOO_WIF_CONFIG", explicit.toString(), "MONDOO_CONFIG_PATH", other.toString()),
        Map.of());

    assertThat(c.audience()).isEqualTo(SPACE);
  }

  @Test
  void load_configPropertyAndEnvironment_thePropertyNamesTheFile() throws Exception {
    Path fromProp = write("prop.json", CONSOLE_FILE);
    Path fromEnv = write("env.json", CONSOLE_FILE.replace(SPACE, "//env-file"));

    MondooWifConfig c = load(Map.of("MONDOO_WIF_CONFIG", fromEnv.toString()),
        Map.of("mondoo.wif.config", fromProp.toString()));

    assertThat(c.audience()).isEqualTo(SPACE);
  }

  @Test
  void load_explicitFileMissing_failsNamingThePathAndWhoNamedIt() {
    Path missing = dir.resolve("missing.json");

    ConfigException e = loadFailure(Map.of("MONDOO_WIF_CONFIG", missing.toString()), Map.of());

    assertThat(e.key()).isEqualTo(ConfigKeys.CONFIG);
    assertThat(e.getMessage()).contains(missing.toString(), "environment MONDOO_WIF_CONFIG", "does not exist");
  }

  @Test
  void load_explicitFileOfAnotherType_failsNamingTheType() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE.replace("external_account", "service_account"));

    ConfigException e = loadFailure(Map.of(), Map.of("mondoo.wif.config", file.toString()));

    assertThat(e.getMessage()).contains("\"service_account\"", "expected \"external_account\"",
        "system property mondoo.wif.config");
  }

  @Test
  void load_explicitFileNotJson_failsSayingSo() throws Exception {
    Path file = write("wif.yml", "type: external_account\naudience: x\n");

    ConfigException e = loadFailure(Map.of(), Map.of("mondoo.wif.config", file.toString()));

    assertThat(e.getMessage()).contains(file.toString(), "is not the JSON the Mondoo console hands out");
  }

  @Test
  void load_explicitFileWithNonStringField_namesTheField() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE.replace("\"audience\":\"" + SPACE + "\"", "\"audience\":42"));

    ConfigException e = loadFailure(Map.of(), Map.of("mondoo.wif.config", file.toString()));

    assertThat(e.key()).isEqualTo(ConfigKeys.AUDIENCE);
    assertThat(e.getMessage()).contains("\"audience\"", file.toString(), "must be a string");
  }

  // --- layers ---

  @Test
  void load_everyLayer_fileThenEnvironmentThenSystemPropertiesThenOverrides() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE);
    Map<String, String> env = Map.of("MONDOO_WIF_CONFIG", file.toString(),
        "MONDOO_WIF_ISSUER", "https://issuer.env", "MONDOO_WIF_AUDIENCE", "//env",
        "MONDOO_WIF_AZURE_CLIENT_ID", "cid-env");
    Map<String, String> props = Map.of("mondoo.wif.audience", "//prop", "mondoo.wif.azure.client-id", "cid-prop");
    Map<String, String> overrides = Map.of("azure.client-id", "cid-arg");

    MondooWifConfig c = MondooWifConfig.load(env, props, overrides, "agent argument");

    assertThat(c.universeDomain()).isEqualTo("https://eu.api.mondoo.com");
    assertThat(c.originOf(ConfigKeys.UNIVERSE_DOMAIN)).isEqualTo("file " + file + " (universeDomain)");
    assertThat(c.issuer()).isEqualTo("https://issuer.env");
    assertThat(c.originOf(ConfigKeys.ISSUER)).isEqualTo("environment MONDOO_WIF_ISSUER");
    assertThat(c.audience()).isEqualTo("//prop");
    assertThat(c.originOf(ConfigKeys.AUDIENCE)).isEqualTo("system property mondoo.wif.audience");
    assertThat(c.azureClientId()).isEqualTo("cid-arg");
    assertThat(c.originOf(ConfigKeys.AZURE_CLIENT_ID)).isEqualTo("agent argument azure.client-id");
  }

  @Test
  void load_blankConfigOverride_isTreatedAsUnsetLikeEveryOtherBlank() throws Exception {
    Path file = write("wif.json", CONSOLE_FILE);

    MondooWifConfig c = MondooWifConfig.load(Map.of("MONDOO_WIF_CONFIG", file.toString()), Map.of(),
        Map.of("config", " "), "agent argument");

    assertThat(c.audience()).isEqualTo(SPACE);
  }

  @Test
  void load_blankValues_areTreatedAsUnset() throws Exception {
    MondooWifConfig c = load(Map.of("MONDOO_WIF_AUDIENCE", "//env", "MONDOO_WIF_ISSUER", "  "),
        Map.of("mondoo.wif.audience", ""));

    assertThat(c.audience()).isEqualTo("//env");
    assertThat(c.issuer()).isNull();
  }

  @Test
  void load_unknownSystemProperty_isReadableForProvidersThatDefineIt() throws Exception {
    MondooWifConfig c = load(Map.of("MONDOO_WIF_AUDIENCE", "//a"), Map.of("mondoo.wif.gcp.thing", "v"));

    assertThat(c.setting("gcp.thing")).contains("v");
  }

  @Test
  void propertiesOf_keepsOnlyMondooWifKeys() {
    Properties p = new Properties();
    p.setProperty("mondoo.wif.audience", "//a");
    p.setProperty("http.proxyHost", "proxy");

    assertThat(MondooWifConfig.propertiesOf(p)).containsExactly(Map.entry("mondoo.wif.audience", "//a"));
  }

  @Test
  void load_noAudience_failsNamingTheKeyAndWhereToSetIt() {
    ConfigException e = loadFailure(Map.of(), Map.of());

    assertThat(e.key()).isEqualTo(ConfigKeys.AUDIENCE);
    assertThat(e.getMessage()).contains("mondoo.wif.audience", "MONDOO_WIF_AUDIENCE", "mondoo.wif.config");
  }

  // --- values ---

  @ParameterizedTest
  @CsvSource({"90s, PT1M30S", "5m, PT5M", "1h, PT1H", "PT90S, PT1M30S", "pt90s, PT1M30S", "500ms, PT0.5S", "2d, PT48H",
      "' 15s ', PT15S"})
  void load_durationForms_areParsed(String text, String expected) throws Exception {
    MondooWifConfig c = load(Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_CREDENTIAL_LIFETIME", text), Map.of());

    assertThat(c.credentialLifetime()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void defaults_areOneHourLifetimeTenSecondRequestsUsRegionAuto() throws Exception {
    MondooWifConfig c = MondooWifConfig.builder().audience("//a").build();

    assertThat(c.credentialLifetime()).isEqualTo(Duration.ofHours(1));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.universeDomain()).isEqualTo("https://us.api.mondoo.com");
    assertThat(c.source()).isEqualTo("auto");
  }

  @Test
  void load_invalidDuration_namesTheKeyTheSourceAndTheValue() {
    ConfigException e = loadFailure(
        Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_REQUEST_TIMEOUT", "ten seconds"), Map.of());

    assertThat(e.key()).isEqualTo(ConfigKeys.REQUEST_TIMEOUT);
    assertThat(e.getMessage()).contains("mondoo.wif.request-timeout", "\"ten seconds\"",
        "environment MONDOO_WIF_REQUEST_TIMEOUT", "90s");
  }

  @Test
  void load_zeroDuration_isInvalidExceptForTheStartupTimeout() throws Exception {
    ConfigException e = loadFailure(Map.of("MONDOO_WIF_AUDIENCE", "//a"), Map.of("mondoo.wif.credential-lifetime", "0s"));
    MondooWifConfig c = load(Map.of("MONDOO_WIF_AUDIENCE", "//a"), Map.of("mondoo.wif.startup-timeout", "0s"));

    assertThat(e.getMessage()).contains("must be positive", "system property mondoo.wif.credential-lifetime");
    assertThat(c.durationSetting(ConfigKeys.STARTUP_TIMEOUT)).contains(Duration.ZERO);
  }

  @Test
  void load_durationBeyondTwentyFourDays_isRefusedNamingTheLimit() throws Exception {
    ConfigException e = loadFailure(Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_REQUEST_TIMEOUT", "999999999999d"),
        Map.of());
    MondooWifConfig c = load(Map.of("MONDOO_WIF_AUDIENCE", "//a"), Map.of("mondoo.wif.wait-timeout", "24d"));

    assertThat(e.key()).isEqualTo(ConfigKeys.REQUEST_TIMEOUT);
    assertThat(e.getMessage()).contains("mondoo.wif.request-timeout = \"999999999999d\"",
        "environment MONDOO_WIF_REQUEST_TIMEOUT", "must be at most 24d");
    assertThat(c.durationSetting(ConfigKeys.WAIT_TIMEOUT)).contains(Duration.ofDays(24));
  }

  @Test
  void load_invalidBoolean_namesTheKeyTheSourceAndTheValue() {
    ConfigException e = loadFailure(Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_REQUIRED", "yes"), Map.of());

    assertThat(e.getMessage()).contains("mondoo.wif.required", "\"yes\"", "environment MONDOO_WIF_REQUIRED",
        "true or false");
  }

  @Test
  void load_invalidSourceName_isRejected() {
    ConfigException e = loadFailure(Map.of("MONDOO_WIF_AUDIENCE", "//a"), Map.of("mondoo.wif.source", "Azure IMDS"));

    assertThat(e.key()).isEqualTo(ConfigKeys.SOURCE);
    assertThat(e.getMessage()).contains("\"Azure IMDS\"", "provider name");
  }

  @Test
  void load_invalidSecretValue_isNeverEchoed() {
    ConfigException e = loadFailure(Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_JWT_TOKEN", "secret\npart-two"),
        Map.of());

    assertThat(e.getMessage()).contains("mondoo.wif.jwt-token", "<secret>", "environment MONDOO_WIF_JWT_TOKEN")
        .doesNotContain("secret\n").doesNotContain("part-two");
  }

  // --- the universe domain ---

  @ParameterizedTest
  @CsvSource({
    "https://eu.api.mondoo.com/, https://eu.api.mondoo.com",
    "https://us.api.mondoo.com, https://us.api.mondoo.com",
    "http://localhost:8080, http://localhost:8080",
    "http://127.0.0.1:9000/, http://127.0.0.1:9000",
    "http://127.1.2.3, http://127.1.2.3",
    "http://[::1]:9000, http://[::1]:9000"
  })
  void universeDomain_httpsOrLoopbackHttp_isAcceptedWithoutTrailingSlash(String value, String expected)
      throws Exception {
    assertThat(MondooWifConfig.builder().audience("//a").universeDomain(value).build().universeDomain())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://us.api.mondoo.com", "http://127.0.0.1.nip.io", "http://localhost.example.com",
      "http://10.0.0.1"})
  void universeDomain_plainHttpToANonLoopbackHost_isRejected(String value) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> load(Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_UNIVERSE_DOMAIN", value), Map.of()));

    assertThat(e.key()).isEqualTo(ConfigKeys.UNIVERSE_DOMAIN);
    assertThat(e.getMessage()).contains("mondoo.wif.universe-domain", "\"" + value + "\"",
        "environment MONDOO_WIF_UNIVERSE_DOMAIN", "must use https");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "https://us.api.mondoo.com/v1 | without a path",
    "https://us.api.mondoo.com?x=1 | without query",
    "https://user:pw@us.api.mondoo.com | user info",
    "us.api.mondoo.com | expected a URL",
    "ftp://us.api.mondoo.com | expected a URL"
  })
  void universeDomain_notAHostOnlyUrl_isRejectedSayingWhy(String value, String why) {
    assertThatThrownBy(() -> MondooWifConfig.builder().audience("//a").universeDomain(value).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(why)
        .hasMessageContaining("(from builder)");
  }

  // --- the builder ---

  @Test
  void builder_optionSetTwice_failsWithTheValueAlreadySet() {
    MondooWifConfig.Builder b = MondooWifConfig.builder().audience("//first");

    assertThatThrownBy(() -> b.audience("//second")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("//first");
  }

  @Test
  void builder_secretSetTwice_neverEchoesIt() {
    MondooWifConfig.Builder b = MondooWifConfig.builder().setting(ConfigKeys.JWT_TOKEN, "tok-secret");

    assertThatThrownBy(() -> b.setting(ConfigKeys.JWT_TOKEN, "other")).hasMessageContaining("<secret>")
        .hasMessageNotContaining("tok-secret");
  }

  @Test
  void builder_keyWithPrefix_isRejected() {
    assertThatThrownBy(() -> MondooWifConfig.builder().setting("mondoo.wif.audience", "//a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without the mondoo.wif. prefix");
  }

  @Test
  void newBuilder_mayReplaceAnInheritedValueOnce() throws Exception {
    MondooWifConfig base = MondooWifConfig.builder().audience("//a").issuer("https://i").build();

    MondooWifConfig changed = base.newBuilder().audience("//b").build();

    assertThat(changed.audience()).isEqualTo("//b");
    assertThat(changed.issuer()).isEqualTo("https://i");
    assertThat(base.audience()).isEqualTo("//a");
  }

  @Test
  void builder_durations_roundTripThroughTheirText() throws Exception {
    MondooWifConfig c = MondooWifConfig.builder().audience("//a").credentialLifetime(Duration.ofMillis(1500))
        .requestTimeout(Duration.ofSeconds(3)).build();

    assertThat(c.credentialLifetime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void envName_mapsDotsAndDashesToUnderscores() {
    assertThat(ConfigKeys.envName("azure.msi-res-id")).isEqualTo("MONDOO_WIF_AZURE_MSI_RES_ID");
  }

  @Test
  void load_everyRegisteredKey_isReadFromItsEnvironmentName() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("MONDOO_WIF_AUDIENCE", "//a");
    env.put("MONDOO_WIF_AZURE_MSI_RES_ID", "/subscriptions/s/rg/mi");
    env.put("MONDOO_WIF_AZURE_OBJECT_ID", "oid");

    MondooWifConfig c = load(env, Map.of());

    assertThat(c.azureMsiResId()).isEqualTo("/subscriptions/s/rg/mi");
    assertThat(c.azureObjectId()).isEqualTo("oid");
  }
}
