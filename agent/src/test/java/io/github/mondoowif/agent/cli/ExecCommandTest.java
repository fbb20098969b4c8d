package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.testing.FakeMondooApi;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real children through sh: Linux and macOS only, like the commands it is for. */
class ExecCommandTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeMondooApi fake = FakeMondooApi.on(server);
  @TempDir Path dir;

  private String universe() {
    return "--universe-domain=" + fake.universeDomain();
  }

  @Test
  void exec_child_seesCredentialAndItsExitStatusPassesThrough() throws Exception {
    Path seen = dir.resolve("seen");

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--",
        "sh", "-c", "printf %s \"$MONDOO_CONFIG_BASE64\" > \"$1\"; exit 3", "sh", seen.toString());

    assertThat(r.status()).isEqualTo(3);
    assertThat(Files.readString(seen)).isEqualTo(fake.issuedCredentials().get(0));
  }

  @Test
  void exec_childSucceeds_exit0() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--", "sh", "-c", "exit 0");

    assertThat(r.status()).isZero();
  }

  @Test
  void exec_withoutDoubleDash_childOptionsAreNotParsedAsOurs() throws Exception {
    Path seen = dir.resolve("args");

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(),
        "sh", "-c", "printf '%s|' \"$@\" > \"$0\"", seen.toString(), "--json", "--audience=x");

    assertThat(r.status()).isZero();
    assertThat(Files.readString(seen)).isEqualTo("--json|--audience=x|");
  }

  @Test
  void exec_childKilledBySignal_exitIs128PlusSignal() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--",
        "sh", "-c", "kill -TERM $$");

    assertThat(r.status()).isEqualTo(128 + 15);
  }

  @Test
  void exec_noCredential_exit125AndChildNeverRuns() {
    fake.enqueueSts(FakeMondooApi.json(403, "{\"code\":7,\"message\":\"permission denied\"}"));
    Path marker = dir.resolve("ran");

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--",
        "sh", "-c", "touch \"$1\"", "sh", marker.toString());

    assertThat(r.status()).isEqualTo(125);
    assertThat(marker).doesNotExist();
    assertThat(r.err()).contains("HTTP 403").contains("permission denied").contains("sh was not run");
  }

  @Test
  void exec_commandNotFound_exit127() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--",
        "no-such-command-mondoo-wif");

    assertThat(r.status()).isEqualTo(127);
    assertThat(r.err()).contains("cannot run no-such-command-mondoo-wif: command not found");
  }

  @Test
  void exec_noCommand_usageErrorExit2() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("COMMAND");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void exec_credentialNeverPrinted() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "exec", universe(), "--", "sh", "-c", "exit 0");

    assertThat(r.out() + r.err()).doesNotContain(fake.issuedCredentials().get(0));
  }
}
