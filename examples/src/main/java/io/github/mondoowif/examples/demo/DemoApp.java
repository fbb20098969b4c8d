package io.github.mondoowif.examples.demo;

import io.github.mondoowif.MondooApiClient;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.Secrets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application the demo runs under the real agent jar. It holds no key and no STS code: it finds its
 * credential where the agent put it. Each step prints one line {@code STEP <ok|FAIL> <millis> <name> <detail>}
 * for {@link LocalDemo} to show.
 */
public final class DemoApp {
  private static final Duration REFRESH_WAIT = Duration.ofSeconds(45);

  private DemoApp() {}

  public static void main(String[] args) throws Exception {
    long atMain = System.currentTimeMillis();
    long t0 = System.nanoTime();
    long launched = Long.getLong("demo.launched", atMain);

    // 1. Before main() ran, the agent exchanged the identity token and set the property.
    String first = System.getProperty("mondoo.config.base64");
    if (first == null) {
      fail(t0, "credential-at-main", "mondoo.config.base64 is not set: the agent did not deliver a credential");
    }
    MondooCredential credential = MondooCredentials.get(); // the agent's credential, no second exchange
    step(t0, "credential-at-main", "mrn " + credential.mrn() + ", expires " + credential.expiresAt()
        + "; main() ran " + (atMain - launched) + " ms after launch");

    // 2. A child process (cnspec in real life) finds the credential in its environment.
    long t1 = System.nanoTime();
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    Process child = new ProcessBuilder(List.of(java, "-cp", classpath, ChildProbe.class.getName()))
        .redirectErrorStream(true).start();
    String childSays;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      childSays = String.valueOf(r.readLine());
    }
    if (!child.waitFor(30, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      fail(t1, "child-environment", "the child process did not finish in 30 s");
    }
    String expected = "MONDOO_CONFIG_BASE64 sha256=" + Secrets.fingerprint(System.getProperty("mondoo.config.base64"));
    if (!childSays.equals(expected)) {
      fail(t1, "child-environment", "the child said \"" + childSays + "\"; expected \"" + expected + "\"");
    }
    step(t1, "child-environment", "a child process received MONDOO_CONFIG_BASE64 (" + childSays.substring(21) + ")");

    // 3. A signed API call: the simulator verifies the ES384 signature and the body hash.
    long t2 = System.nanoTime();
    try {
      api(credential).pingPong();
    } catch (MondooWifException e) {
      fail(t2, "signed-pingpong", e.getMessage());
    }
    step(t2, "signed-pingpong", "PingPong accepted a request signed with " + shortMrn(credential));

    // 4. The agent refreshes before expiry, on its own background thread; the property follows.
    long t3 = System.nanoTime();
    long deadline = System.nanoTime() + REFRESH_WAIT.toNanos();
    String now = first;
    while (now.equals(first) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100); // a zero-code app can only watch the property
      now = System.getProperty("mondoo.config.base64", first);
    }
    if (now.equals(first)) {
      fail(t3, "refresh", "the credential did not change within " + REFRESH_WAIT.toSeconds() + " s");
    }
    MondooCredential refreshed = MondooCredentials.get();
    if (!refreshed.expiresAt().isAfter(credential.expiresAt()) || !Instant.now().isBefore(credential.expiresAt())) {
      fail(t3, "refresh", "the new credential expires " + refreshed.expiresAt() + ", the old one "
          + credential.expiresAt() + ": the refresh should come before the old one expires");
    }
    try {
      api(refreshed).pingPong();
    } catch (MondooWifException e) {
      fail(t3, "refresh", "PingPong refused the refreshed credential: " + e.getMessage());
    }
    step(t3, "refresh", "new credential " + shortMrn(refreshed) + " expires " + refreshed.expiresAt()
        + ", replaced " + Duration.between(Instant.now(), credential.expiresAt()).toSeconds()
        + " s before the old one expired; PingPong accepted it");
    System.exit(0);
  }

  /** A client signing with exactly this credential, calling the API endpoint the credential names. */
  private static MondooApiClient api(MondooCredential c) {
    return MondooApiClient.builder().credential(c).universeDomain(c.apiEndpoint()).build();
  }

  private static String shortMrn(MondooCredential c) {
    return c.mrn().substring(c.mrn().lastIndexOf('/') + 1);
  }

  private static void step(long start, String name, String detail) {
    System.out.println("STEP ok " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " " + name + " " + detail);
    System.out.flush();
  }

  private static void fail(long start, String name, String detail) {
    System.out.println("STEP FAIL " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " " + name + " " + detail);
    System.out.flush();
    System.exit(1);
  }
}
