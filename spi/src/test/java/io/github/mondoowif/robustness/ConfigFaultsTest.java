package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.NoProviderException;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.azure.AppServiceProvider;
import io.github.mondoowif.internal.file.TokenFileProvider;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code mondoo.wif.*} key with malformed values, from each place a value can come from, and WIF
 * files that are broken in every way a file can be. The application's outcome is what
 * {@code MondooCredentials.get()} does on first use: {@link MondooWifConfig#load} throws a
 * {@link ConfigException} naming the key, where the value came from, the value (unless secret) and what
 * is wrong; nothing is ever sent anywhere.
 */
@ExtendWith(Witness.Extension.class)
class ConfigFaultsTest {
  private static final String AUDIENCE = FakeMondoo.SPACE;

  @TempDir Path dir;
  @StartStop final MockWebServer mondoo = NoDelay.server();
  @StartStop final MockWebServer metadata = NoDelay.server();

  /** Malformed values for each type of setting. */
  private static List<String> malformed(ConfigKeys.Key key) {
    switch (key.type) {
      case DURATION:
        List<String> d = new ArrayList<>(List.of("ten seconds", "-5s", "PT-1S", "5 fortnights", "999999999999d",
            "PT2562047788015215H", "99999999999999s"));
        if (!key.name.equals(ConfigKeys.STARTUP_TIMEOUT)) {
          d.add("0s");
        }
        return d;
      case BOOLEAN:
        return List.of("yes", "1", "enabled");
      case NAME:
        return List.of("Azure IMDS", "azure_imds", "-dash-first", "x".repeat(70));
      case URL:
        return List.of("ftp://us.api.mondoo.com", "https://us.api.mondoo.com/path", "http://us.api.mondoo.com",
            "us.api.mondoo.com", "https://user:pw@us.api.mondoo.com", "https://[::1");
      default:
        if (key.secret) {
          // Distinct per run: a secret value must not be confused with the same words in another key's message.
          return List.of("secret-" + Planted.hex(8) + "\nline two", "secret-" + Planted.hex(8) + "\rreturn");
        }
        return List.of("line one\nline two", "carriage\rreturn");
    }
  }

  static Stream<Arguments> everyKeyWithEveryMalformedValue() {
    List<Arguments> out = new ArrayList<>();
    for (ConfigKeys.Key key : ConfigKeys.all().values()) {
      for (String value : malformed(key)) {
        out.add(Arguments.of(key.name, value));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("everyKeyWithEveryMalformedValue")
  void malformedValue_fromEnvironment_refusedNamingKeyOriginAndValue(String key, String value) {
    ConfigKeys.Key k = ConfigKeys.get(key);
    if (k.secret) {
      Witness.plant(value);
    }
    Map<String, String> env = new HashMap<>();
    env.put("MONDOO_WIF_AUDIENCE", AUDIENCE);
    env.put(k.env(), value);

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> MondooWifConfig.load(env, Map.of(), Map.of(), "override"));

    Witness.observe(e);
    assertThat(e).as("%s = %s", key, value).isNotNull();
    assertThat(e.key()).isEqualTo(key);
    if (key.equals(ConfigKeys.CONFIG)) {
      // The file it names is read before anything else, so the path itself is what is reported.
      assertThat(e.getMessage()).contains("named by environment MONDOO_WIF_CONFIG", "does not exist");
      return;
    }
    assertThat(e.getMessage()).contains("mondoo.wif." + key, "environment " + k.env(), "is invalid");
    if (k.secret) {
      assertThat(e.getMessage()).contains("<secret>").doesNotContain(value);
    } else {
      assertThat(e.getMessage()).contains("\"" + value.trim() + "\"");
    }
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("everyKeyWithEveryMalformedValue")
  void malformedValue_fromSystemPropertyAndBuilder_refusedToo(String key, String value) {
    if (ConfigKeys.get(key).secret) {
      Witness.plant(value);
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("mondoo.wif.audience", AUDIENCE);
    properties.put("mondoo.wif." + key, value);
    ConfigException fromProperty = catchThrowableOfType(ConfigException.class,
        () -> MondooWifConfig.load(Map.of(), properties, Map.of(), "override"));
    MondooWifConfig.Builder builder = MondooWifConfig.builder();
    if (!key.equals(ConfigKeys.AUDIENCE)) {
      builder.audience(AUDIENCE);
    }
    ConfigException fromBuilder = catchThrowableOfType(ConfigException.class, () -> builder.setting(key, value).build());

    Witness.observe(fromProperty);
    Witness.observe(fromBuilder);
    assertThat(fromProperty).isNotNull();
    assertThat(fromProperty.getMessage()).contains(
        key.equals(ConfigKeys.CONFIG) ? "named by system property mondoo.wif.config" : "system property mondoo.wif." + key);
    assertThat(fromBuilder).isNotNull();
    assertThat(fromBuilder.getMessage()).contains("mondoo.wif." + key, "(from builder)");
  }

  @Test
  void largestAcceptedDurations_buildAWorkingInstance() throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience(AUDIENCE)
        .setting(ConfigKeys.REQUEST_TIMEOUT, "24d").setting(ConfigKeys.WAIT_TIMEOUT, "24d")
        .setting(ConfigKeys.CREDENTIAL_LIFETIME, "24d").setting(ConfigKeys.STARTUP_TIMEOUT, "24d").build();

    assertThatCode(() -> MondooCredentials.builder().config(config).environment(Map.of())
        .providers(List.of(new AppServiceProvider())).build().close()).doesNotThrowAnyException();
  }

  @Test
  void sourceNamesNoProvider_getSaysWhichExist_nothingSent() throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience(AUDIENCE).universeDomain(mondoo.url("/").toString())
        .source("azure-imsd").build();
    try (MondooCredentials credentials = MondooCredentials.builder().config(config).environment(Map.of())
        .providers(List.of(new AppServiceProvider())).name("config-faults").build()) {
      Throwable t = catchThrowableOfType(CredentialUnavailableException.class, credentials::credential);

      Witness.observe(t);
      assertThat(t.getCause()).isInstanceOf(ConfigException.class);
      assertThat(t.getMessage()).contains("mondoo.wif.source = \"azure-imsd\"", "names no provider",
          "available: [azure-app-service]");
      assertThat(mondoo.getRequestCount()).isZero();
    }
  }

  @Test
  void noSourceApplies_getListsEveryProviderAndWhy_nothingSent() throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience(AUDIENCE).universeDomain(mondoo.url("/").toString())
        .build();
    try (MondooCredentials credentials = MondooCredentials.builder().config(config).environment(Map.of())
        .providers(List.of(new AppServiceProvider(), new TokenFileProvider())).name("config-faults").build()) {
      Throwable t = catchThrowableOfType(CredentialUnavailableException.class, credentials::credential);

      Witness.observe(t);
      assertThat(t.getCause()).isInstanceOf(NoProviderException.class);
      assertThat(t.getMessage()).contains("no identity source applies here; asked 2 providers",
          "azure-app-service: IDENTITY_ENDPOINT is not set", "token-file: mondoo.wif.token-file is not set",
          "Set mondoo.wif.source");
      assertThat(mondoo.getRequestCount()).isZero();
    }
  }

  @Test
  void identityHeaderWithANewline_refusedWithoutShowingIt() throws Exception {
    String header = Witness.plant("secret-" + Planted.hex(12) + "\nX-Evil: 1");
    MondooWifConfig config = MondooWifConfig.builder().audience(AUDIENCE).issuer(FakeMondoo.ISSUER)
        .universeDomain(mondoo.url("/").toString()).build();
    try (MondooCredentials credentials = MondooCredentials.builder().config(config)
        .environment(Map.of("IDENTITY_ENDPOINT", metadata.url("/msi/token").toString(), "IDENTITY_HEADER", header))
        .providers(List.of(new AppServiceProvider())).name("config-faults").build()) {
      Throwable t = catchThrowableOfType(CredentialUnavailableException.class, credentials::credential);

      Witness.observe(t);
      assertThat(t.getCause()).isInstanceOf(TokenSourceException.class);
      assertThat(t.getMessage()).contains("IDENTITY_HEADER holds a character that cannot go into an HTTP header",
          "its value is not shown");
      assertThat(metadata.getRequestCount()).isZero();
      assertThat(mondoo.getRequestCount()).isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The WIF file

  private ConfigException wifFileFailure(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> MondooWifConfig.load(Map.of("MONDOO_WIF_CONFIG", file.toString()), Map.of(), Map.of(), "override"));
    Witness.observe(e);
    assertThat(e).as("loading %s", file).isNotNull();
    return e;
  }

  @Test
  void wifFileNotJson_refusedNamingTheFileAndWhoNamedIt() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.json"), "universeDomain: https://us.api.mondoo.com\n");

    ConfigException e = wifFileFailure(file);

    assertThat(e.key()).isEqualTo(ConfigKeys.CONFIG);
    assertThat(e.getMessage()).contains(file.toString(), "named by environment MONDOO_WIF_CONFIG",
        "is not the JSON the Mondoo console hands out");
  }

  @Test
  void wifFileWrongType_refusedNamingTheTypeFound() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.json"),
        "{\"type\":\"service_account\",\"audience\":\"" + AUDIENCE + "\"}");

    ConfigException e = wifFileFailure(file);

    assertThat(e.getMessage()).contains("has \"type\": \"service_account\"; expected \"external_account\"");
  }

  @Test
  void wifFileWithoutAudience_refusedSayingWhereToSetIt() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.json"),
        "{\"type\":\"external_account\",\"universeDomain\":\"https://us.api.mondoo.com\"}");

    ConfigException e = wifFileFailure(file);

    assertThat(e.key()).isEqualTo(ConfigKeys.AUDIENCE);
    assertThat(e.getMessage()).contains("mondoo.wif.audience is required and not set", "MONDOO_WIF_AUDIENCE");
  }

  @Test
  void wifFileAudienceNotAString_refused() throws Exception {
    Path file = Files.writeString(dir.resolve("wif.json"), "{\"type\":\"external_account\",\"audience\":42}");

    ConfigException e = wifFileFailure(file);

    assertThat(e.getMessage()).contains("\"audience\"", "must be a string");
  }

  @Test
  void wifFileHoldsASecretThatIsMalformed_neverShown() throws Exception {
    String token = Witness.plant("eyJ" + Planted.hex(30) + "\\nsecond line");
    Path file = Files.writeString(dir.resolve("wif.json"), "{\"type\":\"external_account\",\"audience\":\""
        + AUDIENCE + "\",\"jwtToken\":\"" + token + "\"}");

    ConfigException e = wifFileFailure(file);

    assertThat(e.getMessage()).contains("mondoo.wif.jwt-token = <secret>", "file " + file);
  }

  @Test
  void wifFileIsADirectory_refused() throws Exception {
    ConfigException e = wifFileFailure(Files.createDirectory(dir.resolve("wif.json")));

    assertThat(e.getMessage()).contains("not a regular file");
  }

  @Test
  void wifFileLargerThanOneMebibyte_refused() throws Exception {
    Path file = Files.write(dir.resolve("wif.json"), new byte[(1 << 20) + 1]);

    ConfigException e = wifFileFailure(file);

    assertThat(e.getMessage()).contains("larger than 1 MiB");
  }

  @Test
  void wifFileIsAnEndlessDevice_refusedWithoutReadingItAll() {
    Path zero = Path.of("/dev/zero");
    assumeThat(Files.exists(zero)).isTrue();

    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> wifFileFailure(zero));

    assertThat(e.getMessage()).contains("/dev/zero", "not a regular file");
  }

  @Test
  void wifFileIsAFifoNobodyWrites_refusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("wif.fifo");
    assumeThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> wifFileFailure(fifo));

    assertThat(e.getMessage()).contains(fifo.toString(), "not a regular file");
  }

  @Test
  void mondooConfigPathIsAFifo_ignoredLikeAnyOtherForeignFile() throws Exception {
    Path fifo = dir.resolve("mondoo.fifo");
    assumeThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    MondooWifConfig config = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> MondooWifConfig.load(
        Map.of("MONDOO_CONFIG_PATH", fifo.toString(), "MONDOO_WIF_AUDIENCE", AUDIENCE), Map.of(), Map.of(), "x"));

    assertThat(config.audience()).isEqualTo(AUDIENCE);
  }
}
