package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.testing.FakeMondooApi;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class PrintCommandTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeMondooApi fake = FakeMondooApi.on(server);

  @Test
  void print_healthySetup_stdoutIsExactlyTheCredentialAndNewline() {
    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "print", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isZero();
    assertThat(fake.issuedCredentials()).hasSize(1);
    assertThat(r.out()).isEqualTo(fake.issuedCredentials().get(0) + "\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void print_optionOverridesEnvironment() {
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.put("MONDOO_WIF_UNIVERSE_DOMAIN", "http://127.0.0.1:9");

    CliRunner.Result r = CliRunner.run(env, "print", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo(fake.issuedCredentials().get(0) + "\n");
  }

  @Test
  void print_stsRefuses_stderrNamesStatusAndCodeAndStdoutIsEmpty() {
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"no binding for this issuer\"}"));

    CliRunner.Result r = CliRunner.run(CliRunner.cloudShell(fake), "print", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("mondoo-wif-agent print: ")
        .contains("HTTP 401").contains("code 16").contains("no binding for this issuer")
        .doesNotContain(fake.subjectToken());
  }

  @Test
  void print_noAudience_stderrSaysHowToSetItExit1() {
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.remove("MONDOO_WIF_AUDIENCE");

    CliRunner.Result r = CliRunner.run(env, "print", "--universe-domain=" + fake.universeDomain());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("mondoo.wif.audience is required").contains("MONDOO_WIF_AUDIENCE");
    assertThat(server.getRequestCount()).isZero();
  }
}
