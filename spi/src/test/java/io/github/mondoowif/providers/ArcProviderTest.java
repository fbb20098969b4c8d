package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mondoowif.internal.azure.ArcProvider;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArcProviderTest {
  static final String KEY = "arc-key-file-secret-0123456789";

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path root;
  Path tokens;
  final ArcProvider provider = new ArcProvider();

  @BeforeEach
  void machine() throws Exception {
    tokens = Files.createDirectories(root.resolve("var/opt/azcmagent/tokens"));
    System.setProperty(ArcProvider.TOKENS_DIR_PROPERTY, tokens.toString());
    System.setProperty(ArcProvider.HIMDS_PROPERTY, root.resolve("opt/azcmagent/bin/himds").toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(ArcProvider.TOKENS_DIR_PROPERTY);
    System.clearProperty(ArcProvider.HIMDS_PROPERTY);
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("IDENTITY_ENDPOINT", server.url("/metadata/identity/oauth2/token").toString());
    env.put("IMDS_ENDPOINT", server.url("/").toString());
    return env;
  }

  MockResponse challenge(String realm) {
    return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=" + realm).build();
  }

  MockResponse ok() {
    return new MockResponse.Builder().code(200).body(FakeMondoo.imdsResponse(ProviderTesting.azureToken(),
        ProviderTesting.RESOURCE, NOW.plusSeconds(86400))).build();
  }

  Path key(String name, String content) throws Exception {
    return Files.writeString(tokens.resolve(name), content);
  }

  @Test
  void applicability_identityAndImdsEndpoints_applies() {
    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_himdsInstalled_appliesWithoutEnvironment() throws Exception {
    Path himds = root.resolve("opt/azcmagent/bin/himds");
    Files.createDirectories(himds.getParent());
    Files.writeString(himds, "");

    assertThat(provider.applicability(runtime(Map.of())).applicable()).isTrue();
    assertThat(provider.applicability(runtime(Map.of())).reason()).contains(himds.toString());
  }

  @Test
  void applicability_noMarkersAndNoAgent_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void applicability_identityHeaderPresent_leavesItToAppService() {
    Map<String, String> env = env();
    env.put("IDENTITY_HEADER", "h");
    assertThat(provider.applicability(runtime(env)).applicable()).isFalse();
  }

  @Test
  void fetchToken_challenge_answersWithTheKeyFileContent() throws Exception {
    Path key = key("abc.key", KEY + "\n");
    server.enqueue(challenge(key.toString()));
    server.enqueue(ok());

    SubjectToken token = provider.fetchToken(runtime(env()));

    assertThat(token.expiresAt()).contains(NOW.plusSeconds(86400));
    RecordedRequest first = server.takeRequest();
    assertThat(first.getMethod()).isEqualTo("GET");
    assertThat(first.getUrl().encodedPath()).isEqualTo("/metadata/identity/oauth2/token");
    assertThat(first.getUrl().queryParameter("api-version")).isEqualTo("2020-06-01");
    assertThat(first.getUrl().queryParameter("resource")).isEqualTo(ProviderTesting.RESOURCE);
    assertThat(first.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(first.getHeaders().get("Authorization")).isNull();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl()).isEqualTo(first.getUrl());
    assertThat(second.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Basic " + KEY);
  }

  @Test
  void fetchToken_quotedRealm_isUnderstood() throws Exception {
    Path key = key("q.key", KEY);
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"" + key + "\"").build());
    server.enqueue(ok());

    provider.fetchToken(runtime(env()));

    server.takeRequest();
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Basic " + KEY);
  }

  private void assertRefused(String realm, String why) {
    server.enqueue(challenge(realm));
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains(why).doesNotContain(KEY);
        });
    assertThat(server.getRequestCount()).as("no second request with a key").isEqualTo(1);
  }

  @Test
  void fetchToken_keyOutsideTheTokensDirectory_isRefused() throws Exception {
    Path elsewhere = Files.writeString(Files.createDirectories(root.resolve("tmp")).resolve("x.key"), KEY);
    assertRefused(elsewhere.toString(), "not directly in the Arc tokens directory");
  }

  @Test
  void fetchToken_dotDotInThePath_isRefused() throws Exception {
    Files.writeString(root.resolve("var/opt/azcmagent/x.key"), KEY);
    assertRefused(tokens + "/../x.key", "\"..\" segment");
  }

  @Test
  void fetchToken_symlinkPointingOutOfTheDirectory_isRefused() throws Exception {
    Path outside = Files.writeString(root.resolve("shadow.key"), KEY);
    Files.createSymbolicLink(tokens.resolve("link.key"), outside);
    assertRefused(tokens.resolve("link.key").toString(), "outside the tokens directory");
  }

  @Test
  void fetchToken_tokensDirectoryReachedThroughASymlink_isRefused() throws Exception {
    Path alias = Files.createSymbolicLink(root.resolve("alias"), tokens);
    key("a.key", KEY);
    assertRefused(alias.resolve("a.key").toString(), "not directly in the Arc tokens directory");
  }

  @Test
  void fetchToken_keyLargerThan4096Bytes_isRefused() throws Exception {
    Path big = key("big.key", KEY + "x".repeat(5000));
    assertRefused(big.toString(), "larger than 4096 bytes");
  }

  @Test
  void fetchToken_nameNotEndingInDotKey_isRefused() throws Exception {
    Path txt = key("abc.txt", KEY);
    assertRefused(txt.toString(), "does not end in .key");
  }

  @Test
  void fetchToken_relativePath_isRefused() {
    assertRefused("tokens/abc.key", "not an absolute path");
  }

  @Test
  void fetchToken_directoryNamedDotKey_isRefused() throws Exception {
    Path dir = Files.createDirectory(tokens.resolve("dir.key"));
    assertRefused(dir.toString(), "not a regular file");
  }

  @Test
  void fetchToken_missingKeyFile_saysItDoesNotExist() {
    server.enqueue(challenge(tokens.resolve("gone.key").toString()));
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("gone.key");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_unreadableKeyFile_saysRunAsRootOrInTheHimdsGroup() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
    assumeTrue(tokens.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path key = key("locked.key", KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
    server.enqueue(challenge(key.toString()));

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("permission denied")
        .hasMessageContaining("run as root or in the himds group");
  }

  @Test
  void fetchToken_401WithoutRealm_saysThisIsNoArcAgent() {
    server.enqueue(new MockResponse.Builder().code(401).build());
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("WWW-Authenticate")
        .hasMessageContaining("not an Arc agent");
  }

  @Test
  void fetchToken_200WithoutChallenge_isRefused() {
    server.enqueue(ok());
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("without the 401 challenge");
  }

  @Test
  void fetchToken_secondRequestRefused_reportsStatusWithoutTheKey() throws Exception {
    Path key = key("abc.key", KEY);
    server.enqueue(challenge(key.toString()));
    server.enqueue(new MockResponse.Builder().code(401)
        .body("{\"error\":\"invalid_request\",\"error_description\":\"bad key\"}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("HTTP 401", "bad key", "with the key from the challenge")
              .doesNotContain(KEY);
        });
  }

  @Test
  void fetchToken_challengeEndpointFailing_retriesThenReports() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(503).build());
    }
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("HTTP 503 after 3 attempts")
        .hasMessageContaining("/metadata/identity/oauth2/token");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void fetchToken_userAssignedConfigured_isRefused() {
    var config = ProviderTesting.config(b -> b.setting("azure.client-id", "cid"));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config, env())))
        .hasMessageContaining("only the system-assigned identity");
    assertThat(server.getRequestCount()).isZero();
  }
}
