package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The advice's logic, called directly (the woven form runs in the integration tests). It reads system
 * properties, so each test sets and clears the two it uses.
 */
class ProcessBuilderAdviceTest {
  private static final String VAR = "MONDOO_CONFIG_BASE64";

  @BeforeEach
  void requireCleanEnvironment() {
    assumeTrue(System.getenv(VAR) == null, "this JVM inherited MONDOO_CONFIG_BASE64");
    System.setProperty(ProcessBuilderAdvice.CREDENTIAL_PROPERTY, "current-credential");
    System.clearProperty(ProcessBuilderAdvice.POLICY_PROPERTY);
  }

  @AfterEach
  void clear() {
    System.clearProperty(ProcessBuilderAdvice.CREDENTIAL_PROPERTY);
    System.clearProperty(ProcessBuilderAdvice.POLICY_PROPERTY);
  }

  @Test
  void enter_credentialPublished_childEnvironmentGetsItAndExitRestoresTheBuilder() {
    ProcessBuilder pb = new ProcessBuilder("cnspec", "scan");

    String restore = ProcessBuilderAdvice.enter(pb);
    assertThat(pb.environment()).containsEntry(VAR, "current-credential");
    ProcessBuilderAdvice.exit(pb, restore);

    assertThat(pb.environment()).doesNotContainKey(VAR);
  }

  @Test
  void enter_noCredentialYet_changesNothing() {
    System.clearProperty(ProcessBuilderAdvice.CREDENTIAL_PROPERTY);
    ProcessBuilder pb = new ProcessBuilder("cnspec");

    assertThat(ProcessBuilderAdvice.enter(pb)).isNull();
    assertThat(pb.environment()).doesNotContainKey(VAR);
  }

  @Test
  void enter_applicationSetItsOwnValue_keepsIt() {
    ProcessBuilder pb = new ProcessBuilder("cnspec");
    pb.environment().put(VAR, "the-application's");

    String restore = ProcessBuilderAdvice.enter(pb);
    ProcessBuilderAdvice.exit(pb, restore);

    assertThat(restore).isNull();
    assertThat(pb.environment()).containsEntry(VAR, "the-application's");
  }

  @Test
  void enter_calledAgainInsideTheFirstCall_isIdempotent() {
    ProcessBuilder pb = new ProcessBuilder("cnspec");

    String outer = ProcessBuilderAdvice.enter(pb); // start()
    String inner = ProcessBuilderAdvice.enter(pb); // start(Redirect[]) called by start()
    ProcessBuilderAdvice.exit(pb, inner);
    assertThat(pb.environment()).containsEntry(VAR, "current-credential");
    ProcessBuilderAdvice.exit(pb, outer);

    assertThat(inner).isNull();
    assertThat(pb.environment()).doesNotContainKey(VAR);
  }

  @Test
  void enter_policyNone_changesNothing() {
    System.setProperty(ProcessBuilderAdvice.POLICY_PROPERTY, "none");
    ProcessBuilder pb = new ProcessBuilder("cnspec");

    assertThat(ProcessBuilderAdvice.enter(pb)).isNull();
    assertThat(pb.environment()).doesNotContainKey(VAR);
  }

  @Test
  void enter_allowList_matchesTheBaseNameOfTheExecutable() {
    System.setProperty(ProcessBuilderAdvice.POLICY_PROPERTY, "cnspec,mql");

    assertThat(injects("cnspec")).isTrue();
    assertThat(injects("/opt/mondoo/bin/cnspec")).isTrue();
    assertThat(injects("C:\\Program Files\\Mondoo\\mql.exe")).isTrue();
    assertThat(injects("MQL.EXE")).as("names are case-sensitive; only .exe is not").isFalse();
    assertThat(injects("cnspec-helper")).isFalse();
    assertThat(injects("/usr/bin/sh")).isFalse();
  }

  private static boolean injects(String executable) {
    ProcessBuilder pb = new ProcessBuilder(executable, "arg");
    String restore = ProcessBuilderAdvice.enter(pb);
    boolean injected = "current-credential".equals(pb.environment().get(VAR));
    ProcessBuilderAdvice.exit(pb, restore);
    return injected;
  }
}
