package io.github.mondoowif.benchmarks.apps;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The application of the startup benchmark: prints when {@code main()} began and, with the argument
 * {@code wait}, when the agent's credential (the system property {@code mondoo.config.base64}) became
 * available: at once in blocking mode, later with {@code startup-timeout=0}.
 */
public final class StartupApp {
  private StartupApp() {}

  public static void main(String[] args) {
    long mainAt = System.currentTimeMillis();
    String credential = System.getProperty("mondoo.config.base64");
    boolean atMain = credential != null;
    long credentialAt = atMain ? mainAt : -1;
    if (!atMain && args.length > 0 && args[0].equals("wait")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (credential == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(200_000); // 0.2 ms: fine enough, and leaves the CPU to the agent's threads
        credential = System.getProperty("mondoo.config.base64");
      }
      credentialAt = credential != null ? System.currentTimeMillis() : -1;
    }
    System.out.println("mainAt=" + mainAt);
    System.out.println("atMain=" + atMain);
    System.out.println("credentialAt=" + credentialAt);
    System.out.println("credentialLength=" + (credential == null ? 0 : credential.length()));
    System.out.flush();
  }
}
