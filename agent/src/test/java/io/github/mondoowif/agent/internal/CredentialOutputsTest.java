package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialOutputsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AgentConsole console = new AgentConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

  @AfterEach
  void clear() {
    System.clearProperty(PropertyOutput.CREDENTIAL);
    System.clearProperty(PropertyOutput.PROVIDER);
  }

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private CredentialOutputs outputs(boolean premainReports) {
    return new CredentialOutputs(console, new PropertyOutput(), new FileOutput(dir.resolve("c.json")),
        Clock.systemUTC(), System.nanoTime(), premainReports);
  }

  private static MondooWifException failure(String message) {
    return new MondooWifException(message);
  }

  @Test
  void onCredential_first_publishesEveryOutputAndPrintsOneReadyLine() throws Exception {
    CredentialOutputs out = outputs(true);
    MondooCredential c = FileOutputTest.credential();

    out.onCredential(c);

    assertThat(System.getProperty(PropertyOutput.CREDENTIAL)).isEqualTo(c.base64Config());
    assertThat(System.getProperty(PropertyOutput.PROVIDER)).isEqualTo("test");
    assertThat(Files.readString(dir.resolve("c.json"))).isEqualTo(c.configJson());
    assertThat(lines()).singleElement().asString().contains("Mondoo credential ready").contains(c.mrn())
        .contains("sha256=" + c.fingerprint()).doesNotContain(c.base64Config());
    assertThat(out.awaitFirstOutcome(Duration.ZERO)).isTrue();
    assertThat(out.reportStartup(Duration.ofSeconds(10), "; suffix")).isNull();
  }

  @Test
  void onCredential_sameValueTwice_secondIsIgnored() throws Exception {
    CredentialOutputs out = outputs(false);
    MondooCredential c = FileOutputTest.credential();

    out.onCredential(c);
    out.onCredential(c);

    assertThat(lines()).hasSize(1);
  }

  @Test
  void onRefreshFailure_whilePremainWaits_isLeftToPremainsSingleLine() {
    CredentialOutputs out = outputs(true);

    out.onRefreshFailure(failure("Mondoo's STS answered HTTP 401"), 1, false);
    assertThat(lines()).isEmpty();
    String line = out.reportStartup(Duration.ofSeconds(10), "; the application starts without it");

    assertThat(line).isEqualTo("no Mondoo credential at startup: Mondoo's STS answered HTTP 401; the application "
        + "starts without it");
    assertThat(lines()).containsExactly("mondoo-wif agent: " + line);
  }

  @Test
  void onRefreshFailure_repeatedAfterStartup_oneLineThenQuietUntilRecoveryLine() throws Exception {
    CredentialOutputs out = outputs(false);

    out.onRefreshFailure(failure("STS unreachable"), 1, false);
    out.onRefreshFailure(failure("STS unreachable"), 2, false);
    out.onRefreshFailure(failure("STS unreachable"), 3, false);
    out.onCredential(FileOutputTest.credential());

    assertThat(lines()).hasSize(2);
    assertThat(lines().get(0)).contains("no Mondoo credential: STS unreachable").contains("retrying in the background");
    assertThat(lines().get(1)).contains("Mondoo credential ready").contains("after 3 failed attempts");
  }

  @Test
  void onRefreshFailure_whileAValidCredentialIsServed_saysItIsStillServed() throws Exception {
    CredentialOutputs out = outputs(false);
    MondooCredential c = FileOutputTest.credential();
    out.onCredential(c);

    out.onRefreshFailure(failure("STS answered HTTP 503"), 1, true);
    out.onCredential(FileOutputTest.credential());

    assertThat(lines()).hasSize(3);
    assertThat(lines().get(1)).contains("refreshing the Mondoo credential failed; still serving sha256="
        + c.fingerprint()).contains("STS answered HTTP 503");
    assertThat(lines().get(2)).contains("refreshed again after 1 failed attempt:");
  }

  @Test
  void reportStartup_nothingArrived_namesTheTimeout() {
    CredentialOutputs out = outputs(true);

    String line = out.reportStartup(Duration.ofMillis(1500), "; exiting with status 78");

    assertThat(line).contains("no Mondoo credential within 1500 ms (mondoo.wif.startup-timeout)")
        .endsWith("; exiting with status 78");
  }

  @Test
  void onCredential_fileCannotBeWritten_oneLineAndThePropertyStillUpdates() throws Exception {
    CredentialOutputs out = new CredentialOutputs(console, new PropertyOutput(),
        new FileOutput(dir.resolve("missing").resolve("c.json")), Clock.systemUTC(), System.nanoTime(), false);
    MondooCredential first = FileOutputTest.credential();
    MondooCredential second = FileOutputTest.credential();

    out.onCredential(first);
    out.onCredential(second);

    assertThat(System.getProperty(PropertyOutput.CREDENTIAL)).isEqualTo(second.base64Config());
    assertThat(lines()).filteredOn(l -> l.contains("cannot write")).singleElement().asString()
        .contains(dir.resolve("missing").toString());
  }
}
