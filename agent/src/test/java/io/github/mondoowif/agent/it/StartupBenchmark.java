package io.github.mondoowif.agent.it;

import io.github.mondoowif.agent.it.apps.PrintCredentialApp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The startup budget (a benchmark, not a test): milliseconds from launching a JVM to the first line of
 * {@code main()}, without the agent, with the agent waiting for the first credential, and with
 * {@code startup-timeout=0}. Run after {@code mvn verify} (it needs the agent jar and the test classes):
 *
 * <pre>
 * java -Dagent.it.jar=agent/target/mondoo-wif-agent.jar -Dagent.it.appClasses=agent/target/test-classes \
 *      -Dagent.it.appLibs=agent/target/it-libs -cp "agent/target/test-classes:$(test class path)" \
 *      io.github.mondoowif.agent.it.StartupBenchmark 7
 * </pre>
 *
 * Budget: blocking mode at most 300 ms more than without the agent; startup-timeout=0 at most 80 ms more.
 */
public final class StartupBenchmark {
  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      // For measuring by hand: prints the settings to point an agent at the fakes, then serves for a while.
      try (FakeIdentity fake = new FakeIdentity()) {
        System.out.println("MSI_ENDPOINT=" + fake.msiEndpoint());
        System.out.println("ARGS=" + fake.agentArgs());
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]) * 1000);
      }
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (FakeIdentity fake = new FakeIdentity()) {
      Jvm none = Jvm.withoutAgent().defaultJit();
      Jvm blocking = Jvm.withAgent(fake.agentArgs()).env("MSI_ENDPOINT", fake.msiEndpoint()).defaultJit();
      Jvm noWait = Jvm.withAgent(fake.agentArgs("startup-timeout=0")).env("MSI_ENDPOINT", fake.msiEndpoint())
          .defaultJit();
      Jvm noChildren = Jvm.withAgent(fake.agentArgs("inject-env=none")).env("MSI_ENDPOINT", fake.msiEndpoint())
          .defaultJit();
      for (Jvm j : List.of(none, blocking, noWait, noChildren)) {
        j.run(PrintCredentialApp.class); // warm the page cache and CDS
      }
      List<Long> a = new ArrayList<>();
      List<Long> b = new ArrayList<>();
      List<Long> c = new ArrayList<>();
      List<Long> d = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        a.add(none.run(PrintCredentialApp.class).millisToMain());
        Jvm.Result rb = blocking.run(PrintCredentialApp.class);
        if ("none".equals(rb.value("atMain"))) {
          throw new AssertionError("blocking mode reached main() without a credential:\n" + rb);
        }
        b.add(rb.millisToMain());
        c.add(noWait.run(PrintCredentialApp.class).millisToMain());
        d.add(noChildren.run(PrintCredentialApp.class).millisToMain());
      }
      System.out.println("no agent             " + summary(a));
      System.out.println("agent, blocking      " + summary(b) + "  (+" + (median(b) - median(a)) + " ms median)");
      System.out.println("agent, timeout=0     " + summary(c) + "  (+" + (median(c) - median(a)) + " ms median)");
      System.out.println("agent, inject-env=none (blocking, no byte-buddy) " + summary(d) + "  (+"
          + (median(d) - median(a)) + " ms median)");
    }
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String summary(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return "median " + median(xs) + " ms, min " + s.get(0) + ", max " + s.get(s.size() - 1) + " " + xs;
  }
}
