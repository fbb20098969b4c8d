package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.azure.ArcProvider;
import io.github.mondoowif.internal.azure.WorkloadIdentityProvider;
import io.github.mondoowif.internal.file.TokenFileProvider;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token files that are missing, empty, unreadable, endless or rotated under the reader; Azure Arc
 * challenges that name files outside the agent's tokens directory. The fakes count what reached them: a
 * file fault must never cost an STS request, and an Arc key must never be sent for a refused realm.
 */
@ExtendWith(Witness.Extension.class)
class FileFaultsTest {
  @StartStop final MockWebServer mondoo = NoDelay.server();
  @StartStop final MockWebServer entra = NoDelay.server();
  @StartStop final MockWebServer arc = NoDelay.server();
  @TempDir Path dir;
  private Path tokens;
  private Path outside;

  private final FakeClock clock = new FakeClock(Planted.T0);
  private FakeSts sts;

  @BeforeEach
  void fakes() {
    sts = new FakeSts(mondoo, clock);
  }

  private static TokenSourceException cause(Throwable t) {
    assertThat(t).isInstanceOf(CredentialUnavailableException.class).hasCauseInstanceOf(TokenSourceException.class);
    return (TokenSourceException) t.getCause();
  }

  private Stack.Builder tokenFile(Path file) {
    return Stack.builder(clock, sts).provider(new TokenFileProvider())
        .config(c -> c.setting("token-file", file.toString()));
  }

  private static String jwt(String subject) {
    return Planted.fileJwt(subject, Planted.T0.plus(Duration.ofHours(2)));
  }

  private static void write(Path file, String content) throws Exception {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  @Test
  void tokenFileMissing_saysWhich_noStsRequest_thenPickedUpOnceItAppears() throws Exception {
    Path file = dir.resolve("token");
    try (Stack s = tokenFile(file).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains(file.toString(), "does not exist", "is the volume that holds it mounted?");
      assertThat(sts.count()).isZero();

      String token = jwt("system:serviceaccount:apps:payments");
      write(file, token + "\n");
      s.runNextTimer();

      assertThat(s.get().provider()).isEqualTo("token-file");
      assertThat(sts.hits()).extracting(h -> h.jwtToken).containsExactly(token);
    }
  }

  @Test
  void tokenFileEmpty_saysSo_noStsRequest() throws Exception {
    Path file = dir.resolve("token");
    write(file, "  \n");
    try (Stack s = tokenFile(file).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains(file.toString(), "is empty");
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tokenFileIsADirectory_refusedNamingIt() throws Exception {
    Path file = Files.createDirectory(dir.resolve("token"));
    try (Stack s = tokenFile(file).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains(file.toString(), "not a regular file");
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tokenFileWithoutReadPermission_saysPermissionDenied() throws Exception {
    assumeThat(System.getProperty("user.name")).as("root reads any file").isNotEqualTo("root");
    Path file = dir.resolve("token");
    write(file, jwt("x"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    try (Stack s = tokenFile(file).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains(file.toString(), "permission denied");
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tokenFileIsAnEndlessDevice_refusedWithoutReadingForever() throws Exception {
    Path zero = Path.of("/dev/zero");
    assumeThat(Files.exists(zero)).isTrue();
    try (Stack s = tokenFile(zero).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("/dev/zero", "not a regular file");
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tokenFileIsAFifoNobodyWrites_exchangeDoesNotHang() throws Exception {
    Path fifo = dir.resolve("token.fifo");
    assumeThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    try (Stack s = tokenFile(fifo).async().waitTimeout(Duration.ofSeconds(1)).build()) {
      s.failure();

      await().atMost(Duration.ofSeconds(3)).until(() -> s.source.status().consecutiveFailures == 1);
      assertThat(s.source.status().lastError).contains(fifo.toString(), "not a regular file");
      assertThat(s.source.status().refreshing).isFalse();
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void tokenFileRotatedMidRefresh_halfWrittenFileIsAFailure_oldCredentialServed_newTokenUsedNext() throws Exception {
    Path file = dir.resolve("token");
    String a = jwt("rotation-a");
    write(file, a);
    try (Stack s = tokenFile(file).build()) {
      MondooCredential first = s.get();
      long staleAt = s.source.status().nextPlannedRefresh.toEpochMilli();

      // The writer truncated the file and has not written the new token yet when the refresh reads it.
      write(file, "");
      s.scheduler.advanceTo(staleAt);
      assertThat(s.get()).isSameAs(first);
      assertThat(s.source.status().consecutiveFailures).isEqualTo(1);
      assertThat(s.source.status().lastError).contains("is empty");

      String b = jwt("rotation-b");
      write(file, b);
      s.runNextTimer();
      MondooCredential second = s.get();
      assertThat(second).isNotSameAs(first);

      // An atomic rotation (write elsewhere, rename over) is simply read at the next refresh.
      String c = jwt("rotation-c");
      Path tmp = dir.resolve("token.tmp");
      write(tmp, c);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      s.scheduler.advanceTo(s.source.status().nextPlannedRefresh.toEpochMilli());
      assertThat(s.get()).isNotSameAs(second);

      assertThat(sts.hits()).extracting(h -> h.jwtToken).containsExactly(a, b, c);
    }
  }

  @Test
  void tokenFileWriterStopped_expiredTokenNotSent_messageBlamesTheWriter() throws Exception {
    Path file = dir.resolve("token");
    write(file, Planted.fileJwt("stale", Planted.T0.minusSeconds(30)));
    try (Stack s = tokenFile(file).build()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("expired at " + Planted.T0.minusSeconds(30),
          "whatever writes the file", "is not refreshing it");
      assertThat(sts.count()).isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Workload identity: the projected token is the client assertion sent to Entra ID.

  private Stack workloadIdentity(Path file) throws Exception {
    return Stack.builder(clock, sts).provider(new WorkloadIdentityProvider())
        .env(Map.of("AZURE_FEDERATED_TOKEN_FILE", file.toString(), "AZURE_TENANT_ID", Planted.TENANT,
            "AZURE_CLIENT_ID", "app-client-id", "AZURE_AUTHORITY_HOST", entra.url("/").toString()))
        .build();
  }

  @Test
  void assertionRotated_eachEntraRequestCarriesTheFileAsItIsThen() throws Exception {
    Path file = dir.resolve("azure-identity-token");
    write(file, Planted.ASSERTION);
    // Entra's token outlives the reuse margin only barely: each refresh fetches again.
    entra.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return FakeEndpoint.status(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\""
            + Planted.azureJwt(clock.instant().plus(Duration.ofMinutes(6))) + "\"}");
      }
    });
    try (Stack s = workloadIdentity(file)) {
      s.get();
      String rotated = Planted.jwt(Map.of("iss", "https://oidc.example.test/cluster", "sub", "rotated",
          "exp", Planted.T0.plus(Duration.ofHours(2)).getEpochSecond()));
      write(file, rotated);
      s.scheduler.advanceTo(s.source.status().nextPlannedRefresh.toEpochMilli());
      s.get();

      assertThat(entra.getRequestCount()).isEqualTo(2);
      RecordedRequest first = entra.takeRequest(1, TimeUnit.SECONDS);
      RecordedRequest second = entra.takeRequest(1, TimeUnit.SECONDS);
      assertThat(first.getUrl().encodedPath()).isEqualTo("/" + Planted.TENANT + "/oauth2/v2.0/token");
      assertThat(first.getBody().utf8()).contains("client_assertion=" + Planted.ASSERTION);
      assertThat(second.getBody().utf8()).contains("client_assertion=" + rotated);
      assertThat(sts.count()).isEqualTo(2);
    }
  }

  @Test
  void entraEchoesTheAssertionInItsError_messageRedactsIt() throws Exception {
    Path file = dir.resolve("azure-identity-token");
    write(file, Planted.ASSERTION);
    entra.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return FakeEndpoint.status(400, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS700024: "
            + "Client assertion is not within its valid time range. assertion=" + Planted.ASSERTION
            + "\",\"error_codes\":[700024]}");
      }
    });
    try (Stack s = workloadIdentity(file)) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("HTTP 400", "AADSTS700024", "<redacted sha256=",
          "the projected token file (AZURE_FEDERATED_TOKEN_FILE) is stale");
      assertThat(sts.count()).isZero();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Azure Arc's challenge names a key file; only one directly in the agent's tokens directory is read.

  @BeforeEach
  void tokensDir() throws Exception {
    tokens = Files.createDirectory(dir.resolve("tokens"));
    outside = Files.createDirectory(dir.resolve("elsewhere"));
    System.setProperty(ArcProvider.TOKENS_DIR_PROPERTY, tokens.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(ArcProvider.TOKENS_DIR_PROPERTY);
  }

  /** Challenges with {@code realm}; answers a token only to the planted Arc key. */
  private void challengeWith(String realm) {
    arc.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeaders().get("Authorization");
        if (auth == null) {
          return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=" + realm).build();
        }
        return auth.equals("Basic " + Planted.ARC_KEY) ? FakeEndpoint.azureToken(Planted.AZURE_JWT)
            : FakeEndpoint.status(401, "{\"error\":\"wrong key\"}");
      }
    });
  }

  private Stack arcStack() throws Exception {
    return Stack.builder(clock, sts).provider(new ArcProvider())
        .env(Map.of("IDENTITY_ENDPOINT", arc.url("/metadata/identity/oauth2/token").toString(),
            "IMDS_ENDPOINT", arc.url("/").toString()))
        .build();
  }

  private List<String> authorizations() throws Exception {
    List<RecordedRequest> all = new java.util.ArrayList<>();
    for (int i = 0; i < arc.getRequestCount(); i++) {
      all.add(arc.takeRequest(1, TimeUnit.SECONDS));
    }
    return all.stream().map(r -> String.valueOf(r.getHeaders().get("Authorization"))).collect(Collectors.toList());
  }

  private void assertRefused(String realm, String why) throws Exception {
    challengeWith(realm);
    try (Stack s = arcStack()) {
      TokenSourceException e = cause(s.failure());

      assertThat(e.getMessage()).contains("refused the Arc challenge's key file", why,
          "something else answering on the agent's port");
      assertThat(arc.getRequestCount()).as("the key is never sent").isEqualTo(1);
      assertThat(authorizations()).containsExactly("null");
      assertThat(sts.count()).isZero();
    }
  }

  @Test
  void validKeyFile_isSentOnce_tokenExchanged() throws Exception {
    Path key = tokens.resolve("agent.key");
    write(key, Planted.ARC_KEY);
    challengeWith(key.toString());
    try (Stack s = arcStack()) {
      assertThat(s.get().provider()).isEqualTo("azure-arc");
      assertThat(authorizations()).containsExactly("null", "Basic " + Planted.ARC_KEY);
      assertThat(sts.count()).isEqualTo(1);
    }
  }

  @Test
  void realmIsEtcShadow_refused() throws Exception {
    assertRefused("/etc/shadow", "the file name does not end in .key");
  }

  @Test
  void realmClimbsOutWithDotDot_refused() throws Exception {
    Path target = outside.resolve("stolen.key");
    write(target, Planted.ARC_KEY);
    assertRefused(tokens + "/../elsewhere/stolen.key", "contains a \"..\" segment");
  }

  @Test
  void realmIsASymlinkOutOfTheTokensDir_refused() throws Exception {
    Path target = outside.resolve("stolen.key");
    write(target, Planted.ARC_KEY);
    Path link = Files.createSymbolicLink(tokens.resolve("evil.key"), target);
    assertRefused(link.toString(), "outside the tokens directory");
  }

  @Test
  void realmIsAOneMebibyteFile_refused() throws Exception {
    Path big = tokens.resolve("big.key");
    Files.write(big, new byte[1 << 20]);
    assertRefused(big.toString(), "larger than 4096 bytes");
  }
}
