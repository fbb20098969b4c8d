package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.agent.it.apps.PrintCredentialApp;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.testing.FakeMondoo;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentFailureIT {
  private final FakeIdentity fake = new FakeIdentity();
  @TempDir Path dir;

  AgentFailureIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void sts401_appStartsAndExitsZeroWithOneClearLineAndNoSecret() throws Exception {
    // An STS (or a proxy) that echoes the token in its error body must not get it printed.
    fake.stsOverride = n -> FakeIdentity.error(401,
        "{\"code\":16,\"message\":\"token rejected: " + fake.azureToken + "\"}");

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("debug=true")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("main")).isEqualTo("ran");
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.agentLines()).filteredOn(l -> !l.contains("[debug]")).singleElement().asString()
        .contains("no Mondoo credential at startup").contains("401")
        .contains("the application starts without it");
    assertThat(r.stderr).doesNotContain(fake.azureToken).doesNotContain(fake.azureToken.split("\\.")[2])
        .doesNotContain("\tat ").doesNotContain("Exception in");
  }

  @Test
  void stsUnreachable_appStartsWithOneLineNamingTheEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    Jvm.Result r = Jvm.withAgent("audience=" + FakeMondoo.SPACE + ",issuer=" + FakeMondoo.ISSUER
            + ",universe-domain=http://127.0.0.1:" + closedPort + ",request-timeout=2s")
        .env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("main")).isEqualTo("ran");
    assertThat(r.agentLines()).singleElement().asString()
        .contains("no Mondoo credential at startup").contains("127.0.0.1:" + closedPort);
    assertThat(r.stderr.lines()).hasSize(1);
  }

  @Test
  void required_sts401_exits78WithoutRunningMain() throws Exception {
    fake.stsOverride = n -> FakeIdentity.error(401, "{\"code\":16,\"message\":\"unauthenticated\"}");

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("required=true")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isEqualTo(78);
    assertThat(r.value("main")).isNull();
    assertThat(r.agentLines()).singleElement().asString()
        .contains("no Mondoo credential at startup").contains("401").contains("status 78");
  }

  @Test
  void required_stsSlowerThanStartupTimeout_exits78AfterTheTimeout() throws Exception {
    fake.stsDelay = n -> Duration.ofSeconds(20);

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("required=true", "startup-timeout=1s"))
        .env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isEqualTo(78);
    assertThat(r.agentLines()).singleElement().asString().contains("within 1000 ms").contains("status 78");
  }

  @Test
  void missingAudience_appRunsWithOneLineSayingWhatToSet() throws Exception {
    Jvm.Result r = Jvm.withAgent("issuer=" + FakeMondoo.ISSUER).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("main")).isEqualTo("ran");
    assertThat(r.agentLines()).singleElement().asString()
        .contains("not started").contains("mondoo.wif.audience is required").contains("MONDOO_WIF_AUDIENCE");
    assertThat(fake.exchanges.get()).isZero();
  }

  @Test
  void outputFileInMissingDirectory_oneLineNamingTheDirectoryAndThePropertyStillWorks() throws Exception {
    Path missing = dir.resolve("no-such-dir").resolve("mondoo.json");

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("output-file=" + missing)).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.agentLines()).filteredOn(l -> l.contains("output-file")).hasSize(1).first().asString()
        .contains(missing.getParent().toString()).contains("does not exist");
  }
}
