package io.github.mondoowif.benchmarks;

import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.benchmarks.apps.AzureIdentityApp;
import io.github.mondoowif.benchmarks.apps.FootprintApp;
import io.github.mondoowif.benchmarks.apps.LibraryApp;
import io.github.mondoowif.benchmarks.apps.StartupApp;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of issue 8 against loopback fakes it starts and stops itself, and prints one
 * report (also written to {@code bench.out}). Started by {@code benchmarks/run.sh}, which passes:
 *
 * <ul>
 *   <li>{@code bench.target}: {@code benchmarks/target}, with the child apps in {@code classes} and one class
 *       path per contestant ({@code cp-library.txt}: the library and its dependencies; {@code cp-azure.txt}:
 *       azure-identity, its dependencies and OkHttp); {@code bench.agent}: the agent jar
 *   <li>{@code bench.runs} (11): runs per variant of each child-JVM benchmark; {@code bench.sections}
 *       (all): a comma-separated subset of startup, library, hotpath, herd, footprint
 * </ul>
 */
public final class Main {
  private static final Path TARGET = Paths.get(required("bench.target"));
  private static final String CLASSES = TARGET.resolve("classes").toString();
  private static final String CP_LIBRARY = read(TARGET.resolve("cp-library.txt"));
  private static final String CP_AZURE = read(TARGET.resolve("cp-azure.txt"));
  private static final Path AGENT = Paths.get(required("bench.agent"));
  private static final int RUNS = Integer.getInteger("bench.runs", 11);
  private static final int HERD_THREADS = 1000;
  private static final long HERD_STS_DELAY_MS = 500;

  private final Fakes fakes;
  private final StringBuilder report = new StringBuilder();
  private final List<String[]> goals = new ArrayList<>();

  private Main(Fakes fakes) {
    this.fakes = fakes;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("serve")) {
      serve(Integer.parseInt(args[1]));
      return;
    }
    List<String> sections = Arrays.asList(System.getProperty("bench.sections",
        "startup,library,hotpath,herd,footprint").split(","));
    long t0 = System.nanoTime();
    String loadBefore = loadAverage();
    try (Fakes fakes = new Fakes()) {
      Main m = new Main(fakes);
      if (sections.contains("startup")) {
        m.startup();
      }
      if (sections.contains("library")) {
        m.library();
      }
      if (sections.contains("hotpath")) {
        m.hotPath();
      }
      if (sections.contains("herd")) {
        m.herd();
      }
      if (sections.contains("footprint")) {
        m.footprint();
      }
      StringBuilder out = new StringBuilder(machine());
      out.append("- load average (1, 5, 15 min; running processes; last pid) before: ").append(loadBefore)
          .append("; after: ").append(loadAverage()).append("\n\n");
      out.append("## Goals\n\n| # | measured | result | goal | verdict |\n|---|---|---|---|---|\n");
      for (String[] g : m.goals) {
        out.append("| ").append(String.join(" | ", g)).append(" |\n");
      }
      out.append('\n').append(m.report);
      out.append(String.format(Locale.ROOT, "%nWhole run: %.0f s.%n", (System.nanoTime() - t0) / 1e9));
      System.out.println();
      System.out.println(out);
      String file = System.getProperty("bench.out");
      if (file != null) {
        Files.writeString(Paths.get(file), out, StandardCharsets.UTF_8);
      }
    }
  }

  /** For measuring by hand: the fakes for {@code seconds}, and the settings that point at them. */
  private static void serve(int seconds) throws Exception {
    try (Fakes fakes = new Fakes()) {
      System.out.println("MSI_ENDPOINT=" + fakes.msiEndpoint());
      System.out.println("MONDOO_WIF_UNIVERSE_DOMAIN=" + fakes.universeDomain());
      System.out.println("MONDOO_WIF_AUDIENCE=" + FakeMondoo.SPACE);
      System.out.println("MONDOO_WIF_ISSUER=" + FakeMondoo.ISSUER);
      System.out.flush();
      Thread.sleep(seconds * 1000L);
    }
  }

  // -------------------------------------------------------------------------------------------------
  // 1. Startup as a user feels it

  private void startup() throws Exception {
    String args = "audience=" + FakeMondoo.SPACE + ",issuer=" + FakeMondoo.ISSUER + ",universe-domain="
        + fakes.universeDomain();
    Map<String, Child> variants = new LinkedHashMap<>();
    variants.put("a", Child.jvm("(a) no agent", CLASSES, List.of(), StartupApp.class));
    variants.put("b", agentJvm("(b) agent, blocking (default)", args));
    variants.put("c", agentJvm("(c) agent, startup-timeout=0", args + ",startup-timeout=0"));
    variants.put("d", agentJvm("(d) agent, blocking, inject-env=none (no byte-buddy)", args + ",inject-env=none"));
    Map<String, List<Long>> toMain = new LinkedHashMap<>();
    Map<String, List<Long>> toCredential = new LinkedHashMap<>();
    int blockingWithout = 0;
    for (Child c : variants.values()) {
      c.run(); // page cache, CDS archive
    }
    progress("startup: " + RUNS + " alternating runs of " + variants.size() + " variants");
    for (int i = 0; i < RUNS; i++) {
      for (Map.Entry<String, Child> e : variants.entrySet()) {
        Child.Run r = e.getValue().run();
        toMain.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r.sinceLaunch("mainAt"));
        if (!e.getKey().equals("a")) {
          if (r.number("credentialAt") < 0) {
            throw new IllegalStateException(e.getValue().label + ": no credential within 30 s\n" + r.stderr);
          }
          toCredential.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r.sinceLaunch("credentialAt"));
          if (!e.getKey().equals("c") && !Boolean.parseBoolean(r.value("atMain"))) {
            blockingWithout++;
          }
        }
      }
    }
    report.append("## 1. Startup (ms from launching `java` to the first line of `main()`; to the credential)\n\n")
        .append("| variant | to `main()` | to credential | `main()` − (a) |\n|---|---|---|---|\n");
    double base = Stats.median(toMain.get("a"));
    for (Map.Entry<String, Child> e : variants.entrySet()) {
      String k = e.getKey();
      report.append("| ").append(e.getValue().label).append(" | ").append(Stats.summary(toMain.get(k))).append(" | ")
          .append(toCredential.containsKey(k) ? Stats.summary(toCredential.get(k)) : "–").append(" | ")
          .append(k.equals("a") ? "–" : String.format(Locale.ROOT, "%+.0f", Stats.median(toMain.get(k)) - base))
          .append(" |\n");
    }
    report.append("\nBlocking runs that reached `main()` without the credential: ").append(blockingWithout).append("\n\n");
    double b = Stats.median(toMain.get("b")) - base;
    double c = Stats.median(toMain.get("c")) - base;
    goal("1b", "blocking agent: median time to `main()` − (a)", ms(b), "≤ 300 ms", b, 300);
    goal("1c", "startup-timeout=0: median time to `main()` − (a)", ms(c), "≤ 80 ms", c, 80);
    goals.add(new String[] {"1", "time to credential, (b) / (c)", ms(Stats.median(toCredential.get("b"))) + " / "
        + ms(Stats.median(toCredential.get("c"))), "(reported)", "–"});
  }

  private Child agentJvm(String label, String agentArgs) {
    return Child.jvm(label, CLASSES, List.of("-javaagent:" + AGENT + "=" + agentArgs), StartupApp.class, "wait")
        .env("MSI_ENDPOINT", fakes.msiEndpoint());
  }

  // -------------------------------------------------------------------------------------------------
  // 2. First credential, library path

  private void library() throws Exception {
    Map<String, Child> variants = new LinkedHashMap<>();
    variants.put("ours", Child.jvm("mondoo-wif: `MondooCredentials.get()`", CLASSES + File.pathSeparator + CP_LIBRARY,
        List.of(), LibraryApp.class)
        .env("MSI_ENDPOINT", fakes.msiEndpoint())
        .env("MONDOO_WIF_AUDIENCE", FakeMondoo.SPACE)
        .env("MONDOO_WIF_ISSUER", FakeMondoo.ISSUER)
        .env("MONDOO_WIF_UNIVERSE_DOMAIN", fakes.universeDomain()));
    variants.put("azure", Child.jvm("azure-identity `ManagedIdentityCredential` + OkHttp STS call",
        CLASSES + File.pathSeparator + CP_AZURE, List.of(), AzureIdentityApp.class,
        fakes.stsUrl(), FakeMondoo.SPACE, FakeMondoo.ISSUER)
        .env("MSI_ENDPOINT", fakes.msiEndpoint()));
    boolean shell = new File("/usr/bin/curl").canExecute() && new File("/usr/bin/jq").canExecute();
    if (shell) {
      variants.put("curl", Child.shell("the seed's `curl` + `jq` pipeline", ""
          + "TOKEN=$(curl -sS -X POST -H 'Metadata: true' --data 'resource=" + Fakes.RESOURCE + "' \"$MSI_ENDPOINT\""
          + " | jq -r .access_token) && "
          + "curl -sS -X POST -H 'Content-Type: application/json'"
          + " -d \"{\\\"audience\\\":\\\"$AUDIENCE\\\",\\\"issuer_uri\\\":\\\"$ISSUER\\\",\\\"jwt_token\\\":\\\"$TOKEN\\\"}\""
          + " \"$STS_URL\" | jq -r .base64_credential | sed 's/^/credential=/'")
          .env("MSI_ENDPOINT", fakes.msiEndpoint())
          .env("STS_URL", fakes.stsUrl())
          .env("AUDIENCE", FakeMondoo.SPACE)
          .env("ISSUER", FakeMondoo.ISSUER));
    }
    fakes.resetCounts(); // the agents of section 1 exchanged too
    for (Child c : variants.values()) {
      check(c.run(), c.label);
    }
    progress("library: " + RUNS + " alternating runs of " + variants.size() + " variants");
    Map<String, List<Long>> toCredential = new LinkedHashMap<>();
    Map<String, List<Long>> inMain = new LinkedHashMap<>();
    Map<String, List<Double>> wall = new LinkedHashMap<>();
    for (int i = 0; i < RUNS; i++) {
      for (Map.Entry<String, Child> e : variants.entrySet()) {
        Child.Run r = check(e.getValue().run(), e.getValue().label);
        String k = e.getKey();
        wall.computeIfAbsent(k, x -> new ArrayList<>()).add(r.wallMillis);
        if (k.equals("curl")) {
          toCredential.computeIfAbsent(k, x -> new ArrayList<>()).add(Math.round(r.wallMillis));
        } else {
          toCredential.computeIfAbsent(k, x -> new ArrayList<>()).add(r.sinceLaunch("credentialAt"));
          inMain.computeIfAbsent(k, x -> new ArrayList<>()).add(r.number("credentialAt") - r.number("mainAt"));
        }
      }
    }
    report.append("## 2. First credential in a fresh process (ms)\n\n")
        .append("| contestant | launch → credential | `main()` → credential | launch → exit |\n|---|---|---|---|\n");
    for (Map.Entry<String, Child> e : variants.entrySet()) {
      String k = e.getKey();
      report.append("| ").append(e.getValue().label).append(" | ").append(Stats.summary(toCredential.get(k)))
          .append(" | ").append(inMain.containsKey(k) ? Stats.summary(inMain.get(k)) : "–")
          .append(" | ").append(Stats.summary(wall.get(k))).append(" |\n");
    }
    double ours = Stats.median(toCredential.get("ours"));
    double azure = Stats.median(toCredential.get("azure"));
    double oursMain = Stats.median(inMain.get("ours"));
    double azureMain = Stats.median(inMain.get("azure"));
    report.append(String.format(Locale.ROOT, "%nRatio mondoo-wif / azure-identity: %.2f launch → credential, %.2f "
        + "`main()` → credential.", ours / azure, oursMain / azureMain));
    if (shell) {
      report.append(String.format(Locale.ROOT, " mondoo-wif / curl + jq: %.2f.", ours / Stats.median(toCredential.get("curl"))));
    } else {
      report.append(" curl or jq is missing: the pipeline was not measured.");
    }
    report.append(" Every run made exactly one token request and one STS request, and printed the STS's credential.\n\n");
    goals.add(new String[] {"2", "first credential, launch → credential: mondoo-wif / azure-identity",
        ms(ours) + " / " + ms(azure) + " = " + ratio(ours / azure), "≤ 0.3×", verdict(ours / azure <= 0.3)});
    goals.add(new String[] {"2", "same, counted from `main()`", ms(oursMain) + " / " + ms(azureMain) + " = "
        + ratio(oursMain / azureMain), "(reported)", "–"});
    if (shell) {
      double curl = Stats.median(toCredential.get("curl"));
      goals.add(new String[] {"2", "mondoo-wif / the seed's curl + jq pipeline", ms(ours) + " / " + ms(curl) + " = "
          + ratio(ours / curl), "(reported)", "–"});
    }
  }

  /** Exactly one token and one STS request, and the credential the STS issued: nobody skips a step. */
  private Child.Run check(Child.Run r, String label) {
    int tokens = fakes.tokenRequests.getAndSet(0);
    int sts = fakes.stsRequests.getAndSet(0);
    int rejected = fakes.rejected.getAndSet(0);
    if (tokens != 1 || sts != 1 || rejected != 0 || !fakes.credential.equals(r.value("credential"))) {
      throw new IllegalStateException(label + ": expected one token and one STS request and the STS's credential; "
          + "saw " + tokens + " token, " + sts + " STS, " + rejected + " rejected\n" + r.stdout + r.stderr);
    }
    return r;
  }

  // -------------------------------------------------------------------------------------------------
  // 3. Hot path (JMH)

  private void hotPath() throws Exception {
    progress("hot path: JMH, 2 forks x 5 x 1 s after 3 x 1 s warm-up, -prof gc");
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(HotPathBenchmark.class.getName())
        .forks(2)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .build()).run();
    Map<String, double[]> byName = new HashMap<>();
    report.append("## 3. Hot path (JMH, average time; ± is JMH's 99.9% confidence interval)\n\n")
        .append("| benchmark | ns/op | B/op |\n|---|---|---|\n");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      Result<?> p = r.getPrimaryResult();
      double alloc = Double.NaN;
      for (Map.Entry<String, Result> s : r.getSecondaryResults().entrySet()) {
        if (s.getKey().endsWith("gc.alloc.rate.norm")) {
          alloc = s.getValue().getScore();
        }
      }
      byName.put(name, new double[] {p.getScore(), p.getScoreError(), alloc});
      report.append(String.format(Locale.ROOT, "| `%s` | %.2f ± %.2f | %.3f |%n", name, p.getScore(), p.getScoreError(), alloc));
    }
    report.append('\n');
    double[] get = byName.get("staticGet");
    double[] instance = byName.get("instanceCredential");
    goal("3", "`MondooCredentials.get()`, fresh: ns/op", String.format(Locale.ROOT, "%.1f ± %.1f ns", get[0], get[1]),
        "≤ 10 ns/op", get[0], 10);
    goal("3", "`credentials.credential()`, fresh: ns/op", String.format(Locale.ROOT, "%.1f ± %.1f ns", instance[0],
        instance[1]), "≤ 10 ns/op", instance[0], 10);
    goals.add(new String[] {"3", "allocation per `get()` / `credential()`", String.format(Locale.ROOT, "%.3f / %.3f B/op",
        get[2], instance[2]), "≈ 0 B/op", verdict(get[2] < 1 && instance[2] < 1)});
    double[] millis = byName.get("currentTimeMillis");
    double[] nanos = byName.get("nanoTime");
    double[] vol = byName.get("volatileRead");
    double[] agent = byName.get("agentCheck");
    goals.add(new String[] {"3", "parts: volatile read / `currentTimeMillis()` / `nanoTime()` / agent check",
        String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ns", vol[0], millis[0], nanos[0], agent[0]), "(reported)",
        "–"});
  }

  // -------------------------------------------------------------------------------------------------
  // 4. Thundering herd

  private void herd() throws Exception {
    progress("herd: " + HERD_THREADS + " threads on a cold source, 5 rounds");
    MondooWifConfig config = MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(fakes.universeDomain())
        .build();
    Map<String, String> env = Map.of("MSI_ENDPOINT", fakes.msiEndpoint(),
        "AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9", "GCE_METADATA_HOST", "127.0.0.1:9");
    // The STS answers after HERD_STS_DELAY_MS, longer than the scheduler takes to wake 1000 threads at the gate, so
    // that (nearly) every caller is inside credential() while the one exchange is in flight.
    fakes.stsDelayMillis = HERD_STS_DELAY_MS;
    // One caller, one cold source (classes warm after the first): what one exchange costs here.
    List<Double> single = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      try (MondooCredentials c = MondooCredentials.builder().config(config).environment(env).build()) {
        long t = System.nanoTime();
        c.credential();
        if (i >= 3) {
          single.add((System.nanoTime() - t) / 1e6);
        }
      }
    }
    fakes.resetCounts();
    report.append("## 4. Thundering herd (").append(HERD_THREADS).append(" threads, one cold source each round; the fake STS answers after ")
        .append(HERD_STS_DELAY_MS).append(" ms)\n\n")
        .append("One exchange, one caller, classes warm: ").append(String.format(Locale.ROOT, "median %.1f ms "
            + "(min %.1f, max %.1f, n %d)", Stats.median(single), Stats.min(single), Stats.max(single), single.size()))
        .append(".\n\nLatency is per `credential()` call, from the moment its thread passed the start gate. \"Exchange\" is "
            + "when the one exchange delivered (a listener heard the credential), in ms after the gate opened; \"gate\" "
            + "is when the last of the 1000 threads got past the gate (the scheduler waking them on 2 cores). Threads that "
            + "get past the gate after the exchange would find a fresh credential at once; \"waited\" counts the callers "
            + "that got there before it.\n\n"
            + "| round | token requests | STS requests | waited | p50 ms | p99 ms | max ms | exchange ms | gate ms | failed |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n");
    boolean exact = true;
    List<Double> p99s = new ArrayList<>();
    List<Double> exchanges = new ArrayList<>();
    for (int round = 1; round <= 5; round++) {
      fakes.resetCounts();
      double[] lat = new double[HERD_THREADS];
      long[] start = new long[HERD_THREADS];
      java.util.concurrent.atomic.AtomicLong arrived = new java.util.concurrent.atomic.AtomicLong();
      AtomicInteger failed = new AtomicInteger();
      long released;
      CountDownLatch ready = new CountDownLatch(HERD_THREADS);
      CountDownLatch gate = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(HERD_THREADS);
      try (MondooCredentials c = MondooCredentials.builder().config(config).environment(env).build()) {
        c.addListener(credential -> arrived.compareAndSet(0, System.nanoTime()));
        for (int i = 0; i < HERD_THREADS; i++) {
          int slot = i;
          Thread t = new Thread(() -> {
            ready.countDown();
            try {
              gate.await();
              long t0 = System.nanoTime();
              start[slot] = t0;
              c.credential();
              lat[slot] = (System.nanoTime() - t0) / 1e6;
            } catch (Exception e) {
              failed.incrementAndGet();
            } finally {
              done.countDown();
            }
          }, "herd-" + i);
          t.setDaemon(true);
          t.start();
        }
        ready.await();
        released = System.nanoTime();
        gate.countDown();
        if (!done.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the herd did not finish within 60 s");
        }
      }
      List<Double> l = new ArrayList<>();
      for (double x : lat) {
        l.add(x);
      }
      int tokens = fakes.tokenRequests.get();
      int sts = fakes.stsRequests.get();
      exact &= tokens == 1 && sts == 1 && failed.get() == 0;
      p99s.add(Stats.percentile(l, 99));
      long lastThrough = Long.MIN_VALUE;
      for (long t : start) {
        lastThrough = Math.max(lastThrough, t);
      }
      int waited = 0;
      for (long t : start) {
        waited += t < arrived.get() ? 1 : 0;
      }
      double exchange = (arrived.get() - released) / 1e6;
      exchanges.add(exchange);
      report.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n", round,
          tokens, sts, waited, Stats.percentile(l, 50), Stats.percentile(l, 99), Stats.max(l), exchange,
          (lastThrough - released) / 1e6, failed.get()));
    }
    fakes.stsDelayMillis = 0;
    double one = Stats.median(single);
    double p99 = Stats.median(p99s);
    double inHerd = Stats.median(exchanges);
    report.append(String.format(Locale.ROOT, "%nMedians over the rounds: p99 %.1f ms; the exchange itself %.1f ms after the "
        + "gate opened (%.1f ms alone, without 1000 threads being scheduled at the same time): p99 = %.2f× the herd's "
        + "exchange, %.2f× a lone one.%n%n", p99, inHerd, one, p99 / inHerd, p99 / one));
    goals.add(new String[] {"4", "1000 threads, cold source: requests at the fakes", exact ? "1 token + 1 STS in every round"
        : "NOT exactly one each (see section 4)", "exactly 1 + 1", verdict(exact)});
    goals.add(new String[] {"4", "p99 latency / the exchange (in the herd; alone)", String.format(Locale.ROOT,
        "%.1f ms / %.1f ms = %.2f×; / %.1f ms = %.2f×", p99, inHerd, p99 / inHerd, one, p99 / one), "≈ 1×",
        p99 <= inHerd * 1.1 ? "met (vs the herd's exchange)" : "see section 4"});
  }

  // -------------------------------------------------------------------------------------------------
  // 5. Footprint

  private void footprint() throws Exception {
    long jar = Files.size(AGENT);
    goal("5", "agent jar size", String.format(Locale.ROOT, "%.2f MiB (%d bytes)", jar / 1048576.0, jar), "≤ 8 MiB",
        jar / 1048576.0, 8);
    String args = "audience=" + FakeMondoo.SPACE + ",issuer=" + FakeMondoo.ISSUER + ",universe-domain="
        + fakes.universeDomain();
    // Short runs for the heap (after 1 s); one long run for the threads that stay. OkHttp's and the exchange
    // pool's threads end after 60 s idle at most, so 75 s later only the agent's permanent threads are left.
    // Thread and heap counts are not timing-sensitive: the long run overlaps the short ones.
    Child none = Child.jvm("no agent", CLASSES, List.of(), FootprintApp.class, "1000");
    Child agent = Child.jvm("agent (blocking)", CLASSES, List.of("-javaagent:" + AGENT + "=" + args), FootprintApp.class,
        "1000").env("MSI_ENDPOINT", fakes.msiEndpoint());
    Child steadyNone = Child.jvm("no agent, 75 s", CLASSES, List.of(), FootprintApp.class, "75000");
    Child steadyAgent = Child.jvm("agent, 75 s", CLASSES, List.of("-javaagent:" + AGENT + "=" + args),
        FootprintApp.class, "75000").env("MSI_ENDPOINT", fakes.msiEndpoint());
    java.util.concurrent.CompletableFuture<Child.Run> longNone = runAsync(steadyNone);
    java.util.concurrent.CompletableFuture<Child.Run> longAgent = runAsync(steadyAgent);
    int runs = Math.max(3, RUNS / 2);
    progress("footprint: " + runs + " alternating runs with and without the agent, and one of 75 s each");
    List<Long> heapNone = new ArrayList<>();
    List<Long> heapAgent = new ArrayList<>();
    List<Long> classesNone = new ArrayList<>();
    List<Long> classesAgent = new ArrayList<>();
    Child.Run lastNone = null;
    Child.Run lastAgent = null;
    for (int i = 0; i < runs; i++) {
      lastNone = none.run();
      lastAgent = agent.run();
      if (!Boolean.parseBoolean(lastAgent.value("atMain"))) {
        throw new IllegalStateException("the agent did not deliver before main()\n" + lastAgent.stderr);
      }
      heapNone.add(lastNone.number("heapUsed"));
      heapAgent.add(lastAgent.number("heapUsed"));
      classesNone.add(lastNone.number("classes"));
      classesAgent.add(lastAgent.number("classes"));
    }
    Child.Run steadyN = longNone.get(150, TimeUnit.SECONDS);
    Child.Run steadyA = longAgent.get(150, TimeUnit.SECONDS);
    double heap = (Stats.median(heapAgent) - Stats.median(heapNone)) / 1048576.0;
    List<String> addedAtMain = added(lastNone.value("threadsAtMain"), lastAgent.value("threadsAtMain"));
    List<String> addedLater = added(steadyN.value("threadsLater"), steadyA.value("threadsLater"));
    report.append("## 5. Footprint\n\n")
        .append(String.format(Locale.ROOT, "Heap in use 1 s after `main()` began, after full GCs: without agent median "
            + "%.2f MiB, with agent %.2f MiB (n %d each).%n", Stats.median(heapNone) / 1048576.0,
            Stats.median(heapAgent) / 1048576.0, runs))
        .append(String.format(Locale.ROOT, "Classes loaded: %.0f without, %.0f with the agent (class metadata is "
            + "not heap).%n", Stats.median(classesNone), Stats.median(classesAgent)))
        .append("Threads the agent adds, at `main()`: ").append(addedAtMain).append("; 75 s later: ")
        .append(addedLater).append(".\n\n");
    goal("5", "heap retained by the agent after start + full GC", String.format(Locale.ROOT, "%.2f MiB", heap),
        "≤ 8 MiB", heap, 8);
    boolean allDaemon = addedLater.stream().allMatch(t -> t.endsWith(":daemon"))
        && addedAtMain.stream().allMatch(t -> t.endsWith(":daemon"));
    goals.add(new String[] {"5", "threads the agent adds, 75 s after start (at `main()`)", addedLater.size() + " ("
        + addedAtMain.size() + ")" + (allDaemon ? ", all daemon" : ", NOT all daemon"), "≤ 2, all daemon",
        verdict(addedLater.size() <= 2 && allDaemon) + (addedAtMain.size() > 2 ? "; at `main()`: **missed**" : "")});
  }

  private static java.util.concurrent.CompletableFuture<Child.Run> runAsync(Child c) {
    java.util.concurrent.CompletableFuture<Child.Run> f = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(c.run());
      } catch (Exception | Error e) {
        f.completeExceptionally(e);
      }
    }, "bench-" + c.label);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** The threads (name:daemon) in {@code with} that {@code without} lacks, counting duplicates. */
  private static List<String> added(String without, String with) {
    List<String> base = new ArrayList<>(Arrays.asList(without.split("\\|")));
    List<String> out = new ArrayList<>();
    for (String t : with.split("\\|")) {
      if (!base.remove(t)) {
        out.add(t);
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------

  private void goal(String item, String what, String result, String goal, double value, double limit) {
    goals.add(new String[] {item, what, result, goal, verdict(value <= limit) + String.format(Locale.ROOT, " (%.2f× the goal)",
        value / limit)});
  }

  private static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.0f ms", v);
  }

  private static String ratio(double v) {
    return String.format(Locale.ROOT, "%.2f×", v);
  }

  private static void progress(String line) {
    System.out.println("[bench] " + line);
    System.out.flush();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(file + " is missing: run benchmarks/run.sh", e);
    }
  }

  /** The machine, as BENCHMARKS.md states it. */
  private static String machine() {
    StringBuilder sb = new StringBuilder("## Machine\n\n");
    sb.append("- CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(" × ")
        .append(firstLine(Paths.get("/proc/cpuinfo"), "model name")).append('\n');
    sb.append("- clocksource: ").append(firstLine(
        Paths.get("/sys/devices/system/clocksource/clocksource0/current_clocksource"), "")).append('\n');
    sb.append("- memory: ").append(firstLine(Paths.get("/proc/meminfo"), "MemTotal")).append('\n');
    sb.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
        .append(")\n");
    sb.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
        .append('\n');
    return sb.toString();
  }

  private static String loadAverage() {
    return firstLine(Paths.get("/proc/loadavg"), "");
  }

  private static String firstLine(Path file, String prefix) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(prefix)) {
          int colon = prefix.isEmpty() ? -1 : line.indexOf(':');
          return line.substring(colon + 1).trim().replaceAll("\\s+", " ");
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or not readable: say so
    }
    return "unknown";
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(property + " is not set: run benchmarks/run.sh");
    }
    return v;
  }
}
