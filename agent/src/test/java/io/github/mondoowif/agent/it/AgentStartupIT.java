package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.agent.it.apps.PrintCredentialApp;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.testing.FakeMondoo;
import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentStartupIT {
  private final FakeIdentity fake = new FakeIdentity();
  @TempDir Path dir;

  AgentStartupIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void premain_blockingMode_propertyHoldsTheExchangedCredentialWhenMainStarts() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(fake.issued).hasSize(1);
    assertThat(r.value("atMain")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.value("mrn")).isEqualTo(FakeMondoo.MRN);
    assertThat(r.value("active")).isEqualTo("true");
    assertThat(r.agentLines()).singleElement().asString()
        .contains("Mondoo credential ready").contains(FakeMondoo.MRN).contains("azure-cloud-shell");

    RecordedRequest token = fake.azure.takeRequest();
    assertThat(token.getHeaders().get("Metadata")).isEqualTo("true");
    RecordedRequest exchange = fake.sts.takeRequest();
    assertThat(exchange.getBody().utf8()).contains("\"audience\":\"" + FakeMondoo.SPACE + "\"")
        .contains("\"jwt_token\":\"" + fake.azureToken + "\"");
  }

  @Test
  void premain_startupTimeoutZero_mainRunsAtOnceAndThePropertyAppearsWhenTheExchangeCompletes() throws Exception {
    fake.stsDelay = n -> Duration.ofMillis(1500);

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("startup-timeout=0")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class, "20000");

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.value("active")).isEqualTo("true");
    assertThat(r.value("later")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
  }

  @Test
  void premain_stsSlowerThanStartupTimeout_mainRunsAfterTheTimeoutAndTheCredentialFollows() throws Exception {
    fake.stsDelay = n -> Duration.ofSeconds(3);

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("startup-timeout=500ms")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class, "20000");

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.value("later")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.agentLines()).hasSize(2);
    assertThat(r.agentLines().get(0)).contains("no Mondoo credential within 500 ms")
        .contains("keeps trying in the background");
    assertThat(r.agentLines().get(1)).contains("Mondoo credential ready");
  }

  @Test
  void premain_killSwitchProperty_agentStaysIdle() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs("debug=true")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .option("-Dmondoo.wif.enabled=false")
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.value("active")).isEqualTo("null");
    assertThat(r.agentLines()).singleElement().asString().contains("idle").contains("mondoo.wif.enabled=false");
    assertThat(fake.exchanges.get()).isZero();
    assertThat(fake.azure.getRequestCount()).isZero();
  }

  @Test
  void premain_killSwitchEnvironment_agentStaysSilentAndIdle() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint())
        .env("MONDOO_WIF_ENABLED", "false")
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.stderr).isEmpty();
    assertThat(fake.exchanges.get()).isZero();
  }

  @Test
  void premain_insideAJdkToolViaJavaToolOptions_staysIdle() throws Exception {
    Jvm jvm = new Jvm().env("MSI_ENDPOINT", fake.msiEndpoint())
        .env("JAVA_TOOL_OPTIONS", "-javaagent:" + Jvm.AGENT_JAR + "=" + fake.agentArgs("debug=true"));
    String bin = System.getProperty("java.home") + "/bin/";

    Jvm.Result jps = jvm.exec(List.of(bin + "jps", "-q"));
    Jvm.Result keytool = jvm.exec(List.of(bin + "keytool", "-help"));

    assertThat(jps.exit).as(jps.toString()).isZero();
    assertThat(jps.agentLines()).singleElement().asString().contains("idle inside the JDK tool")
        .contains("sun.tools.jps.Jps");
    assertThat(keytool.agentLines()).singleElement().asString().contains("idle inside the JDK tool")
        .contains("keytool");
    assertThat(fake.exchanges.get()).isZero();
    assertThat(fake.azure.getRequestCount()).isZero();
  }

  @Test
  void premain_settingsFromTheConsolesWifFileNamedByASystemProperty_work() throws Exception {
    Path wif = dir.resolve("mondoo-wif.json");
    Files.writeString(wif, "{\"universeDomain\":\"" + fake.universeDomain() + "\","
        + "\"scopes\":[\"//iam.api.mondoo.app/roles/agent\"],\"type\":\"external_account\","
        + "\"audience\":\"" + FakeMondoo.SPACE + "\","
        + "\"subjectTokenType\":\"urn:ietf:params:oauth:token-type:jwt\","
        + "\"issuerUri\":\"" + FakeMondoo.ISSUER + "\"}");

    Jvm.Result r = Jvm.withAgent(null).env("MSI_ENDPOINT", fake.msiEndpoint())
        .option("-Dmondoo.wif.config=" + wif)
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("atMain")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(fake.sts.takeRequest().getBody().utf8()).contains("\"issuer_uri\":\"" + FakeMondoo.ISSUER + "\"");
  }

  @Test
  void agentmain_attachedToARunningJvm_thePropertyAppears() throws Exception {
    Path out = dir.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
        "-cp", Jvm.APP_CLASSES.toString(), PrintCredentialApp.class.getName(), "30000")
        .redirectOutput(out.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/bin:/bin");
    pb.environment().put("MSI_ENDPOINT", fake.msiEndpoint());
    pb.environment().put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9");
    Process p = pb.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(out).contains("active="));
      VirtualMachine vm = VirtualMachine.attach(Long.toString(p.pid()));
      try {
        vm.loadAgent(Jvm.AGENT_JAR.toString(), fake.agentArgs());
      } finally {
        vm.detach();
      }
      assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
      String printed = Files.readString(out);
      assertThat(printed).contains("atMain=none")
          .contains("later=" + Secrets.fingerprint(fake.issued.get(0)));
    } finally {
      p.destroyForcibly();
    }
  }
}
