package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mondoowif.agent.it.apps.ChildEnvApp;
import io.github.mondoowif.internal.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildEnvIT {
  private final FakeIdentity fake = new FakeIdentity();
  @TempDir Path bin;

  ChildEnvIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  private Path script(String name) throws Exception {
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\nprintf '%s' \"$MONDOO_CONFIG_BASE64\"\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  @Test
  void childEnv_everyWayToStartAChild_getsTheCurrentCredentialUnlessTheAppSetItsOwn() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint())
        // A value this JVM inherited is older than the agent's: children get the agent's.
        .env("MONDOO_CONFIG_BASE64", "stale-value-from-the-parent")
        .run(ChildEnvApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    String current = Secrets.fingerprint(fake.issued.get(0));
    assertThat(r.value("property")).isEqualTo(current);
    assertThat(r.value("processBuilder")).isEqualTo(current);
    assertThat(r.value("runtimeExec")).isEqualTo(current);
    assertThat(r.value("runtimeExecWithEnv")).isEqualTo(current);
    assertThat(r.value("pipelineFirst")).isEqualTo(current);
    assertThat(r.value("pipelineLast")).isEqualTo(current);
    assertThat(r.value("explicit")).isEqualTo("kept");
    assertThat(r.value("builderAfterStart")).isEqualTo(Secrets.fingerprint("stale-value-from-the-parent"));
  }

  @Test
  void childEnv_allowList_onlyListedExecutablesGetTheCredential() throws Exception {
    Path cnspec = script("cnspec");
    Path other = script("other");

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("inject-env=cnspec,mql"))
        .env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(ChildEnvApp.class, cnspec.toString(), other.toString());

    assertThat(r.exit).as(r.toString()).isZero();
    String current = Secrets.fingerprint(fake.issued.get(0));
    assertThat(r.value("property")).isEqualTo(current);
    assertThat(r.value("exe.cnspec")).isEqualTo(current);
    assertThat(r.value("exe.other")).isEqualTo("none");
    assertThat(r.value("processBuilder")).as("sh is not on the list").isEqualTo("none");
    assertThat(r.value("explicit")).isEqualTo("kept");
    assertThat(r.value("builderAfterStart")).isEqualTo("none");
  }

  @Test
  void childEnv_injectEnvNone_noChildGetsTheCredential() throws Exception {
    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint())
        .env("MONDOO_WIF_INJECT_ENV", "none")
        .run(ChildEnvApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("property")).isEqualTo(Secrets.fingerprint(fake.issued.get(0)));
    assertThat(r.value("processBuilder")).isEqualTo("none");
    assertThat(r.value("runtimeExec")).isEqualTo("none");
    assertThat(r.value("pipelineLast")).isEqualTo("none");
  }

  @Test
  void childEnv_onJava25_everyWayToStartAChildGetsTheCredential() throws Exception {
    assumeTrue(Files.isExecutable(Jvm.JAVA_25), "no JDK 25 at " + Jvm.JAVA_25);

    Jvm.Result r = Jvm.withAgent(fake.agentArgs()).java(Jvm.JAVA_25).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(ChildEnvApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    String current = Secrets.fingerprint(fake.issued.get(0));
    assertThat(r.value("processBuilder")).isEqualTo(current);
    assertThat(r.value("runtimeExec")).isEqualTo(current);
    assertThat(r.value("runtimeExecWithEnv")).isEqualTo(current);
    assertThat(r.value("pipelineFirst")).isEqualTo(current);
    assertThat(r.value("pipelineLast")).isEqualTo(current);
    assertThat(r.value("explicit")).isEqualTo("kept");
    assertThat(r.agentLines()).singleElement().asString().contains("Mondoo credential ready");
  }
}
