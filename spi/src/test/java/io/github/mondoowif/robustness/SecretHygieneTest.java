package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.excludeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.SubjectToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * One test that runs every robustness scenario of this package again, with debug logging on, and then
 * looks for the planted secrets (the Azure and file JWTs, the {@code IDENTITY_HEADER} value, the Arc key,
 * the client assertion, every private key and base64 credential the fake STS issued) in everything the
 * library showed: every System.Logger record, stdout and stderr, the message and {@code toString()} of
 * every exception, the {@code toString()} of the public types the scenarios met, and every attribute of
 * the credential MXBeans, read through the platform MBean server.
 */
class SecretHygieneTest {

  @Test
  void everyRobustnessScenarioWithDebugLogging_showsNoPlantedSecretAnywhere() {
    // MXBeans are published only once the JVM has an MBean server: have one, as monitored JVMs do.
    ManagementFactory.getPlatformMBeanServer();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    long started = System.nanoTime();
    Witness.reset();
    Witness.deep = true;
    try (Witness.LogTap tap = new Witness.LogTap()) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
          .selectors(selectPackage(SecretHygieneTest.class.getPackageName()))
          .filters(excludeClassNamePatterns(".*" + SecretHygieneTest.class.getSimpleName()))
          .build();
      Launcher launcher = LauncherFactory.create();
      launcher.execute(request, listener);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      Witness.deep = false;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    TestExecutionSummary summary = listener.getSummary();
    String failures = summary.getFailures().stream()
        .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
        .collect(Collectors.joining("\n"));
    assertThat(summary.getTestsSucceededCount()).as("scenarios run").isGreaterThan(100);
    assertThat(summary.getTotalFailureCount()).as("failed scenarios:\n%s", failures).isZero();

    // Public value types shown with a planted secret inside.
    Witness.observe(SubjectToken.of(Planted.AZURE_JWT, Planted.T0));
    Witness.observe(Applicability.applicable("IDENTITY_ENDPOINT and IDENTITY_HEADER are set"));

    List<String> texts = new ArrayList<>(Witness.all());
    texts.addAll(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    texts.addAll(List.of(err.toString(StandardCharsets.UTF_8).split("\n")));

    assertThat(Witness.secrets()).contains(Planted.AZURE_JWT, Planted.IDENTITY_HEADER, Planted.ARC_KEY,
        Planted.ASSERTION).hasSizeGreaterThan(100);
    assertThat(texts).as("what was captured")
        .anySatisfy(t -> assertThat(t).startsWith("FINE io.github.mondoowif"))
        .anySatisfy(t -> assertThat(t).startsWith("WARNING io.github.mondoowif"))
        .anySatisfy(t -> assertThat(t).contains("LastError=").contains("Fingerprint="))
        .anySatisfy(t -> assertThat(t).startsWith("MondooCredentials{"))
        .anySatisfy(t -> assertThat(t).startsWith("MondooCredential{"))
        .anySatisfy(t -> assertThat(t).startsWith("MondooWifConfig{"))
        .anySatisfy(t -> assertThat(t).startsWith("MondooRequestSigner{"))
        .anySatisfy(t -> assertThat(t).startsWith("MondooApiClient{"))
        .anySatisfy(t -> assertThat(t).startsWith("SubjectToken{"))
        .anySatisfy(t -> assertThat(t).startsWith("applicable: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.CredentialUnavailableException: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.ExchangeException: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.InvalidCredentialException: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.ConfigException: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.NoProviderException: "))
        .anySatisfy(t -> assertThat(t).startsWith("io.github.mondoowif.spi.TokenSourceException: "));
    Witness.assertNoLeaks(texts);
    System.out.println("SecretHygieneTest: " + summary.getTestsSucceededCount() + " scenarios, " + texts.size()
        + " texts, " + Witness.secrets().size() + " planted secrets, " + took.toMillis() + " ms");
  }
}
