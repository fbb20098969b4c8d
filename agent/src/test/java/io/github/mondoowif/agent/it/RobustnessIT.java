package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.agent.it.apps.PrintCredentialApp;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent in a real JVM against a hostile STS (issue 9): one that accepts the exchange and never answers,
 * and one that answers 200 with a 10 MiB body. Either way the application starts within
 * {@code mondoo.wif.startup-timeout} plus the JVM's own start, exits 0, and stderr holds one line that says
 * what went wrong, with no secret in any output.
 */
class RobustnessIT {
  /** A JVM with the agent starts in well under this on the project's busy 2-core machines. */
  private static final long MARGIN_MILLIS = 8_000;

  private final FakeIdentity fake = new FakeIdentity();

  RobustnessIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void stsNeverAnswers_appStartsAfterTheStartupTimeout_exitsZero_oneLine_noSecret() throws Exception {
    fake.stsOverride = n -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("startup-timeout=2s")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("main")).isEqualTo("ran");
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.millisToMain()).as(r.toString()).isBetween(2_000L, 2_000L + MARGIN_MILLIS);
    assertThat(r.millis).as("the stalled exchange does not keep the JVM alive").isLessThan(2_000L + MARGIN_MILLIS);
    assertThat(r.agentLines()).as(r.toString()).singleElement().asString()
        .contains("no Mondoo credential within 2000 ms (mondoo.wif.startup-timeout)")
        .contains("the application starts without it");
    assertThat(r.stderr.lines()).as(r.toString()).hasSize(1);
    assertThat(fake.exchanges.get()).isEqualTo(1);
    assertNoSecret(r);
  }

  @Test
  void stsAnswersTenMebibytes_refusedUnread_appStartsAtOnce_exitsZero_oneLine_noSecret() throws Exception {
    String huge = "{\"base64_credential\":\"" + "QUFB".repeat((10 << 20) / 4) + "\"}";
    fake.stsOverride = n -> new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body(huge).build();

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("startup-timeout=10s")).env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(PrintCredentialApp.class);

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.value("main")).isEqualTo("ran");
    assertThat(r.value("atMain")).isEqualTo("none");
    assertThat(r.millisToMain()).as("the failure ends the wait; no need for the 10 s timeout")
        .isLessThan(MARGIN_MILLIS);
    assertThat(r.agentLines()).as(r.toString()).singleElement().asString()
        .contains("no Mondoo credential at startup").contains("response body larger than 1 MiB")
        .contains("the application starts without it");
    assertThat(r.stderr.lines()).as(r.toString()).hasSize(1);
    assertNoSecret(r);
  }

  private void assertNoSecret(Jvm.Result r) {
    String everything = r.stdout + r.stderr;
    for (String piece : List.of(fake.azureToken, fake.azureToken.split("\\.")[1], fake.azureToken.split("\\.")[2])) {
      assertThat(everything).doesNotContain(piece);
    }
    assertThat(everything).doesNotContain("\tat ").doesNotContain("Exception in");
  }
}
