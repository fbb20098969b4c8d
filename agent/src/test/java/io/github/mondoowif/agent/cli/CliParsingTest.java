package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliParsingTest {
  @Test
  void run_noArguments_usageOnStderrExit2() {
    CliRunner.Result r = CliRunner.run(Map.of());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: mondoo-wif-agent").contains("print").contains("doctor");
  }

  @Test
  void run_help_listsEveryCommandOnStdoutExit0() {
    CliRunner.Result r = CliRunner.run(Map.of(), "--help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("print", "exec", "write", "doctor", "--<key>=<value>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"print", "exec", "write", "doctor"})
  void run_commandHelp_listsTheAgentSettingsAsOptions(String command) {
    CliRunner.Result r = CliRunner.run(Map.of(), command, "--help");

    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("Usage: mondoo-wif-agent " + command)
        .contains("--audience=<value>", "--issuer=<value>", "--universe-domain=<url>", "--azure.client-id=<value>",
            "--config=<path>", "MONDOO_WIF_AUDIENCE");
  }

  @Test
  void run_unknownOption_exit2WithSuggestion() {
    CliRunner.Result r = CliRunner.run(Map.of(), "print", "--audiance=x");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--audiance=x'").contains("--audience")
        .contains("mondoo-wif-agent print --help");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void run_unknownCommand_exit2WithSuggestion() {
    CliRunner.Result r = CliRunner.run(Map.of(), "prnt");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("prnt").contains("print");
  }

  @Test
  void run_invalidSettingValue_exit1NamingKeyAndOrigin() {
    CliRunner.Result r = CliRunner.run(Map.of("MONDOO_WIF_AUDIENCE", "//captain.api.mondoo.app/spaces/x"),
        "print", "--request-timeout=soon");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("mondoo.wif.request-timeout = \"soon\"").contains("command-line option");
    assertThat(r.out()).isEmpty();
  }
}
