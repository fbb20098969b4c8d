package io.github.mondoowif.examples.demo;

import io.github.mondoowif.examples.demo.sim.AzureManagedIdentitySimulator;
import io.github.mondoowif.examples.demo.sim.MondooStsSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The local demo: the whole keyless flow on this machine, with no Azure subscription and no Mondoo
 * account. It starts two SIMULATORS on loopback (an Azure managed-identity endpoint and Mondoo's STS and
 * API), then runs {@link DemoApp} in a child JVM under the real agent jar and reports each step.
 *
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; java -jar examples/target/mondoo-wif-examples.jar
 * </pre>
 */
public final class LocalDemo {
  static final String SPACE = "//captain.api.mondoo.app/spaces/demo-space";
  static final String RESOURCE = "api://mondoo-wif-demo";
  /** The binding's expiration: short, so that a refresh happens while you watch. */
  static final Duration CREDENTIAL_LIFETIME = Duration.ofSeconds(12);
  private static final Duration APP_TIMEOUT = Duration.ofSeconds(90);

  private final PrintStream out;
  private final long started = System.nanoTime();
  private final List<String> summary = new ArrayList<>();
  private String failed;

  LocalDemo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path agent = args.length == 2 && args[0].equals("--agent") ? Paths.get(args[1]) : defaultAgentJar();
    System.exit(new LocalDemo(System.out).run(agent));
  }

  /** The agent jar the build copies next to this jar. */
  static Path defaultAgentJar() throws URISyntaxException {
    Path self = Paths.get(LocalDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // From the jar: target/; from an IDE's target/classes: target/ too.
    return self.getParent().resolve("mondoo-wif-agent.jar");
  }

  int run(Path agentJar) throws IOException, InterruptedException {
    out.println("mondoo-wif local demo: keyless Mondoo access, end to end, on 127.0.0.1");
    out.println("(the Azure and Mondoo endpoints below are SIMULATORS running in this process)");
    out.println();
    if (!Files.isRegularFile(agentJar)) {
      report(false, 0, "agent-jar", agentJar + " does not exist; build first: mvn -B -q -DskipTests package");
      return finish(null, null);
    }
    long t = System.nanoTime();
    try (AzureManagedIdentitySimulator azure = new AzureManagedIdentitySimulator(Clock.systemUTC());
        MondooStsSimulator mondoo = new MondooStsSimulator(new MondooStsSimulator.Binding(SPACE, azure.issuer(),
            AzureManagedIdentitySimulator.OBJECT_ID, RESOURCE, azure.verificationKey(), CREDENTIAL_LIFETIME),
            Clock.systemUTC())) {
      report(true, millis(t), "simulators", "Azure IMDS simulator at " + azure.authorityHost()
          + ", Mondoo STS simulator at " + mondoo.universeDomain() + " (binding expiration "
          + CREDENTIAL_LIFETIME.toSeconds() + " s)");
      runApp(agentJar, azure, mondoo);
      return finish(azure, mondoo);
    }
  }

  private void runApp(Path agentJar, AzureManagedIdentitySimulator azure, MondooStsSimulator mondoo)
      throws IOException, InterruptedException {
    String agentArgs = String.join(",",
        "audience=" + SPACE,
        "issuer=" + azure.issuer(),
        "universe-domain=" + mondoo.universeDomain(),
        "azure.resource=" + RESOURCE,
        // Named outright: on a laptop the automatic probes of cloud metadata addresses would only cost time.
        "source=azure-imds");
    List<String> command = List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agentJar.toAbsolutePath() + "=" + agentArgs,
        "-Ddemo.launched=" + System.currentTimeMillis(),
        "-cp", System.getProperty("java.class.path"),
        DemoApp.class.getName());
    out.println("       starting the application: java -javaagent:" + agentJar.getFileName() + "=… "
        + DemoApp.class.getSimpleName());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("AZURE_POD_IDENTITY_AUTHORITY_HOST", azure.authorityHost());
    pb.environment().remove("MONDOO_CONFIG_BASE64");
    Process app = pb.start();
    Thread errors = pump(app.getErrorStream(), "  err│ ");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("STEP ")) {
          String[] parts = line.split(" ", 5);
          report(parts[1].equals("ok"), Long.parseLong(parts[2]), parts[3], parts.length > 4 ? parts[4] : "");
        } else {
          out.println("  app│ " + line);
        }
      }
    }
    if (!app.waitFor(APP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      app.destroyForcibly();
      report(false, APP_TIMEOUT.toMillis(), "application", "did not finish within " + APP_TIMEOUT.toSeconds() + " s");
    } else if (app.exitValue() != 0 && failed == null) {
      report(false, 0, "application", "exited with status " + app.exitValue());
    }
    errors.join(TimeUnit.SECONDS.toMillis(5));
  }

  private Thread pump(InputStream in, String prefix) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.println(prefix + line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "demo-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void report(boolean ok, long millis, String name, String detail) {
    String mark = ok ? "[ok]  " : "[FAIL]";
    out.println(String.format(Locale.ROOT, "%s %6.1fs  %-20s %s", mark, millis / 1000.0, name, detail));
    summary.add(String.format(Locale.ROOT, "%s %s", mark, name));
    if (!ok && failed == null) {
      failed = name;
    }
  }

  private int finish(AzureManagedIdentitySimulator azure, MondooStsSimulator mondoo) {
    out.println();
    out.println("summary (" + String.format(Locale.ROOT, "%.1f", millis(started) / 1000.0) + " s):");
    for (String s : summary) {
      out.println("  " + s);
    }
    if (azure != null && mondoo != null) {
      out.println("  simulator counts: " + azure.tokensIssued() + " Azure token(s) issued, " + mondoo.exchanges()
          + " STS exchange(s), " + mondoo.verifiedPings() + " verified signed request(s)");
    }
    if (failed != null) {
      out.println("FAILED at step: " + failed);
      return 1;
    }
    out.println("OK: the application got a Mondoo credential with no key on disk, handed it to a child process,");
    out.println("    signed an API call with it, and received a fresh one before the first expired.");
    return 0;
  }

  private static long millis(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }
}
