package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.testing.FakeMondooApi;
import io.github.mondoowif.internal.refresh.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteCommandTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeMondooApi fake = FakeMondooApi.on(server);
  @TempDir Path dir;

  private static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Test
  void write_outputFile_holdsDecodedCredentialJsonWithOwnerOnlyMode() throws Exception {
    Path target = dir.resolve("mondoo.json");

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "write",
        "--universe-domain=" + fake.universeDomain(), "--output-file=" + target);

    assertThat(r.status()).isZero();
    assertThat(Files.readString(target)).isEqualTo(decoded(fake.issuedCredentials().get(0)));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("wrote " + target).contains("mrn //agents.api.mondoo.app/")
        .doesNotContain(fake.issuedCredentials().get(0));
  }

  @Test
  void write_outputFileFromEnvironment_isUsed() throws Exception {
    Path target = dir.resolve("from-env.json");
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.put("MONDOO_WIF_OUTPUT_FILE", target.toString());

    CliRunner.Result r = CliRunner.run(env, "write", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isZero();
    assertThat(Files.readString(target)).isEqualTo(decoded(fake.issuedCredentials().get(0)));
  }

  @Test
  void write_withoutOutputFile_exit2SaysWhatIsRequired() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "write", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("--output-file <path> is required");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void write_missingDirectory_exit1NamesTheDirectory() {
    Path target = dir.resolve("missing/mondoo.json");

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "write",
        "--universe-domain=" + fake.universeDomain(), "--output-file=" + target);

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains(dir.resolve("missing") + " does not exist");
  }

  @Test
  void write_watch_replacesFileAfterRefreshAndStopsCleanly() throws Exception {
    Path target = dir.resolve("mondoo.json");
    FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    fake.clock(clock).credentialLifetime(Duration.ofHours(1));
    AtomicReference<Thread> runner = new AtomicReference<>();
    CompletableFuture<CliRunner.Result> result = CompletableFuture.supplyAsync(() -> {
      runner.set(Thread.currentThread());
      return CliRunner.run(CliRunner.cloudShell(fake), clock, "write", "--watch",
          "--universe-domain=" + fake.universeDomain(), "--output-file=" + target);
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> fake.issuedCredentials().size() == 1
        && decoded(fake.issuedCredentials().get(0)).equals(read(target)));
    clock.advance(Duration.ofHours(2)); // past the first credential's expiry: the next poll must refresh
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.issuedCredentials().size() >= 2
        && decoded(fake.issuedCredentials().get(fake.issuedCredentials().size() - 1)).equals(read(target)));
    runner.get().interrupt();
    CliRunner.Result r = result.get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(r.err()).contains("keeping " + target + " fresh").contains("stopped");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target); // no temporary files left behind
    }
  }

  @Test
  void write_watchWhileStsFails_reportsOnceAndWritesWhenItRecovers() throws Exception {
    Path target = dir.resolve("mondoo.json");
    for (int i = 0; i < 3; i++) {
      fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"binding not found\"}"));
    }
    AtomicReference<Thread> runner = new AtomicReference<>();
    CompletableFuture<CliRunner.Result> result = CompletableFuture.supplyAsync(() -> {
      runner.set(Thread.currentThread());
      return CliRunner.run(CliRunner.cloudShell(fake), "write", "--watch",
          "--universe-domain=" + fake.universeDomain(), "--output-file=" + target);
    });

    await().atMost(Duration.ofSeconds(10)).until(() -> fake.issuedCredentials().size() == 1
        && decoded(fake.issuedCredentials().get(0)).equals(read(target)));
    runner.get().interrupt();
    CliRunner.Result r = result.get(10, TimeUnit.SECONDS);

    assertThat(r.status()).isZero();
    assertThat(r.err().split("binding not found", -1)).hasSize(2); // the same failure is reported once
  }
}
