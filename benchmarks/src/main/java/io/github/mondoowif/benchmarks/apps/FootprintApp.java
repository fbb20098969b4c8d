package io.github.mondoowif.benchmarks.apps;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Footprint of whatever runs before {@code main()}: the threads alive at {@code main()} and after a pause
 * (name and daemon flag), and the heap in use after full GCs. Run with and without the agent; the
 * difference is the agent's. Argument: how long to pause, in milliseconds.
 */
public final class FootprintApp {
  private FootprintApp() {}

  public static void main(String[] args) {
    boolean atMain = System.getProperty("mondoo.config.base64") != null;
    System.out.println("atMain=" + atMain);
    System.out.println("threadsAtMain=" + threads());
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[0])));
    System.out.println("threadsLater=" + threads());
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc(); // a full collection with every collector the JDK ships, unless -XX:+DisableExplicitGC
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    System.out.println("heapUsed=" + used);
    // Only now: the management classes this loads must not be counted above.
    System.out.println("classes=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    System.out.flush();
  }

  /** name:daemon (or name:user) of every live thread, sorted. */
  private static String threads() {
    List<String> all = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      all.add(t.getName() + (t.isDaemon() ? ":daemon" : ":user"));
    }
    Collections.sort(all);
    return String.join("|", all);
  }
}
