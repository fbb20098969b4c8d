package io.github.mondoowif.agent.internal;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.time.Durations;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code premain} does, in order: read the arguments, stay idle when switched off or inside a JDK
 * tool, load the configuration, start the refresh engine and the {@code ProcessBuilder} instrumentation on
 * two background threads, and wait (bounded) for the first credential so it is there when {@code main()}
 * starts. Internal.
 *
 * <p>The thread that runs {@code premain} does no network call and loads neither OkHttp nor byte-buddy; it
 * only waits. Nothing here initialises {@code java.util.logging}: the library's log lines go to
 * {@link AgentConsole} instead.
 */
public final class AgentStartup {
  /** The fail-fast exit status of {@code mondoo.wif.required=true}: EX_CONFIG of sysexits.h. */
  public static final int EXIT_REQUIRED = 78;

  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  /** Keeps the engine reachable for the life of the JVM. */
  private static volatile MondooCredentials engine;

  private AgentStartup() {}

  /**
   * @param rawArgs the text after {@code =} in {@code -javaagent:…jar=…}, or {@code null}
   * @param attached whether the agent was attached to a running JVM (then nothing waits)
   */
  public static void start(String rawArgs, Instrumentation instrumentation, boolean attached) {
    long startNanos = System.nanoTime();
    AgentArgs args = AgentArgs.parse(rawArgs);
    Map<String, String> env = System.getenv();
    AgentConsole console = new AgentConsole(isTrue(raw(ConfigKeys.DEBUG, args, env)));

    if ("false".equalsIgnoreCase(raw(ConfigKeys.ENABLED, args, env))) {
      console.debug("idle: switched off by mondoo.wif.enabled=false");
      return;
    }
    String command = System.getProperty("sun.java.command");
    if (JdkTools.isJdkTool(command)) {
      console.debug("idle inside the JDK tool " + JdkTools.describe(command));
      return;
    }
    if (!STARTED.compareAndSet(false, true)) {
      console.info("already running in this JVM; the second -javaagent stays idle");
      return;
    }
    Log.redirect(console);
    // CredentialOutputs words the refresh states itself; the engine's own lines only with debug=true.
    Log.redirectStateChanges(console.debugOnly());
    for (String key : args.unknownKeys()) {
      console.info("ignoring the agent argument \"" + key + "\": no setting mondoo.wif." + key + " exists");
    }
    if (args.malformed() > 0) {
      console.info("ignoring " + args.malformed() + " agent argument piece(s) that are not key=value");
    }
    boolean required = isTrue(raw(ConfigKeys.REQUIRED, args, env));

    // The instrumentation is the longest job (byte-buddy's class loading): start it first, in parallel with
    // everything else. inject-env comes only from arguments, properties or environment, never the WIF file.
    String policy = InjectEnvPolicy.resolve(raw(ConfigKeys.INJECT_ENV, args, env));
    System.setProperty(ProcessBuilderAdvice.POLICY_PROPERTY, policy);
    CountDownLatch instrumented = new CountDownLatch(1);
    if (InjectEnvPolicy.NONE.equals(policy)) {
      instrumented.countDown();
    } else {
      daemon("mondoo-wif-agent-instrument", new Instrument(instrumentation, policy, console, instrumented));
    }

    MondooWifConfig config;
    try {
      config = MondooWifConfig.load(
          env, MondooWifConfig.propertiesOf(System.getProperties()), overrides(args, env), "agent argument");
    } catch (ConfigException e) {
      String line = "not started: " + e.getMessage();
      if (required) {
        console.info(line + "; exiting with status " + EXIT_REQUIRED + " because mondoo.wif.required=true");
        System.exit(EXIT_REQUIRED);
      }
      console.info(line + "; the application runs without Mondoo credentials");
      return;
    }
    console.debug("configuration: " + config);

    // setting() + parse rather than durationSetting(): no lambda on the premain path.
    String configuredTimeout = config.setting(ConfigKeys.STARTUP_TIMEOUT).orElse(null);
    Duration timeout = attached ? Duration.ZERO
        : configuredTimeout == null ? DEFAULT_STARTUP_TIMEOUT : Durations.parse(configuredTimeout);
    if (required && timeout.isZero() && !attached) {
      console.info("mondoo.wif.required=true needs a startup wait: waiting " + Durations.format(DEFAULT_STARTUP_TIMEOUT)
          + " instead of mondoo.wif.startup-timeout=0");
      timeout = DEFAULT_STARTUP_TIMEOUT;
    }
    String outputFile = config.setting(ConfigKeys.OUTPUT_FILE).orElse(null);
    FileOutput file = outputFile == null ? null : new FileOutput(Paths.get(outputFile));
    String fileProblem = file == null ? null : file.problem();

    PropertyOutput property = new PropertyOutput();
    property.markActive();
    CredentialOutputs outputs =
        new CredentialOutputs(console, property, file, Clock.systemUTC(), startNanos, !timeout.isZero());
    if (fileProblem != null) {
      console.info("cannot write mondoo.wif.output-file " + file.target() + ": " + fileProblem);
      outputs.fileProblemReported();
    }
    if (file != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(new FileCleanup(file), "mondoo-wif-agent-cleanup"));
    }

    daemon("mondoo-wif-agent-start", new StartEngine(config, outputs, console));

    if (timeout.isZero()) {
      console.debug("not waiting (startup-timeout=0): " + PropertyOutput.CREDENTIAL
          + " appears when the first exchange completes");
      return;
    }
    long deadline = startNanos + timeout.toNanos();
    try {
      outputs.awaitFirstOutcome(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (outputs.current() != null) {
        // Children started by main() right away should get the credential too.
        instrumented.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String line = outputs.reportStartup(timeout, required
        ? "; exiting with status " + EXIT_REQUIRED + " because mondoo.wif.required=true"
        : "; the application starts without it and the agent keeps trying in the background");
    if (line != null && required) {
      System.exit(EXIT_REQUIRED);
    }
  }

  /**
   * The agent arguments, plus {@code startup-timeout=0s} when the timeout is given as a bare {@code 0}
   * anywhere: the documented way to say "don't wait", which the duration syntax alone (a number with a unit)
   * would reject.
   */
  static Map<String, String> overrides(AgentArgs args, Map<String, String> env) {
    String timeout = raw(ConfigKeys.STARTUP_TIMEOUT, args, env);
    if (timeout == null || !timeout.matches("0+")) {
      return args.settings();
    }
    Map<String, String> out = new java.util.LinkedHashMap<>(args.settings());
    out.put(ConfigKeys.STARTUP_TIMEOUT, "0s");
    return out;
  }

  /**
   * Weaves the child-environment advice (byte-buddy) on its own thread. Classes rather than lambdas on the
   * premain path: the first lambda in a JVM costs tens of milliseconds of method-handle spinning.
   */
  private static final class Instrument implements Runnable {
    private final Instrumentation instrumentation;
    private final String policy;
    private final AgentConsole console;
    private final CountDownLatch done;

    Instrument(Instrumentation instrumentation, String policy, AgentConsole console, CountDownLatch done) {
      this.instrumentation = instrumentation;
      this.policy = policy;
      this.console = console;
      this.done = done;
    }

    @Override
    public void run() {
      long t = System.nanoTime();
      try {
        ChildEnvInstaller.install(instrumentation);
        console.debug("child processes get MONDOO_CONFIG_BASE64 (inject-env=" + policy + "); instrumented "
            + "ProcessBuilder in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) + " ms");
      } catch (Throwable e) {
        console.info("child processes will not get MONDOO_CONFIG_BASE64: " + e.getMessage()
            + "; use mondoo.wif.output-file with MONDOO_CONFIG_PATH instead");
      } finally {
        done.countDown();
      }
    }
  }

  /** Builds and starts the refresh engine on its own thread: this is where OkHttp and the JCA load. */
  private static final class StartEngine implements Runnable {
    private final MondooWifConfig config;
    private final CredentialOutputs outputs;
    private final AgentConsole console;

    StartEngine(MondooWifConfig config, CredentialOutputs outputs, AgentConsole console) {
      this.config = config;
      this.outputs = outputs;
      this.console = console;
    }

    @Override
    public void run() {
      startEngine(config, outputs, console);
    }
  }

  private static void startEngine(MondooWifConfig config, CredentialOutputs outputs, AgentConsole console) {
    try {
      MondooCredentials credentials = MondooCredentials.builder().config(config).build();
      engine = credentials;
      credentials.addListener(outputs);
      credentials.start();
      console.debug("refresh engine started for " + config.audience());
    } catch (Throwable t) {
      outputs.onRefreshFailure(new MondooWifException(
          "the refresh engine did not start (" + t.getClass().getName() + "); please report it"), 1, false);
    }
  }

  /** Removes the credential file when the JVM exits. A class, not a lambda: see the note on premain costs. */
  private static final class FileCleanup implements Runnable {
    private final FileOutput file;

    FileCleanup(FileOutput file) {
      this.file = file;
    }

    @Override
    public void run() {
      file.delete();
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /** A setting the agent needs before the configuration loads: agent argument, system property, environment. */
  static String raw(String key, AgentArgs args, Map<String, String> env) {
    String v = args.get(key);
    if (v == null || v.isBlank()) {
      v = System.getProperty(ConfigKeys.PREFIX + key);
    }
    if (v == null || v.isBlank()) {
      v = env.get(ConfigKeys.envName(key));
    }
    return v == null ? null : v.trim();
  }

  private static boolean isTrue(String v) {
    return "true".equalsIgnoreCase(v);
  }
}
