package io.github.mondoowif.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Launches a real child JVM with {@code -javaagent:target/mondoo-wif-agent.jar}, with an environment built from
 * scratch (nothing of this machine's environment leaks in, and no metadata address is ever probed), and
 * collects its exit status and output. Every run is bounded; a child that outlives it is killed.
 */
final class Jvm {
  static final Path AGENT_JAR = Paths.get(required("agent.it.jar"));
  static final Path APP_CLASSES = Paths.get(required("agent.it.appClasses"));
  static final Path APP_LIBS = Paths.get(required("agent.it.appLibs"));
  static final Path JAVA_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  static final long TIMEOUT_SECONDS = 60;

  private Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
  private String agentArgs;
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private String classPath = APP_CLASSES.toString();
  private boolean agent = true;
  private boolean quickJit = true;

  Jvm() {
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("HOME", System.getProperty("java.io.tmpdir"));
    // Nothing may ever probe a real metadata address from a test.
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9");
    env.put("GCE_METADATA_HOST", "127.0.0.1:9");
  }

  static Jvm withAgent(String agentArgs) {
    Jvm jvm = new Jvm();
    jvm.agentArgs = agentArgs;
    return jvm;
  }

  static Jvm withoutAgent() {
    Jvm jvm = new Jvm();
    jvm.agent = false;
    return jvm;
  }

  /** Default JIT settings, as users run: for measuring. */
  Jvm defaultJit() {
    this.quickJit = false;
    return this;
  }

  Jvm java(Path java) {
    this.java = java;
    return this;
  }

  Jvm env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Jvm option(String option) {
    jvmOptions.add(option);
    return this;
  }

  Jvm classPath(String classPath) {
    this.classPath = classPath;
    return this;
  }

  /** The app classes plus the jars in target/it-libs (the application's own okhttp 4, jackson, kotlin). */
  Jvm withAppLibraries() throws IOException {
    try (var files = Files.list(APP_LIBS)) {
      this.classPath = APP_CLASSES + File.pathSeparator + files.map(Path::toString).sorted()
          .collect(Collectors.joining(File.pathSeparator));
    }
    return this;
  }

  Result run(Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    if (agent) {
      command.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
    }
    if (quickJit) {
      command.add("-XX:TieredStopAtLevel=1"); // short-lived test JVMs start faster with C1 only
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(Arrays.asList(args));
    return exec(command);
  }

  /** Runs any command (a JDK tool, say) with this environment. */
  Result exec(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("agent-it-", ".out");
    Path err = Files.createTempFile("agent-it-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      long start = System.nanoTime();
      long launchedAt = System.currentTimeMillis();
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("child JVM did not finish within " + TIMEOUT_SECONDS + " s: " + command
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), millis, launchedAt);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null) {
      throw new IllegalStateException(property + " is not set: run the integration tests with mvn verify");
    }
    return v;
  }

  /** What a child JVM did. */
  static final class Result {
    final int exit;
    final String stdout;
    final String stderr;
    final long millis;
    final long launchedAt;

    Result(int exit, String stdout, String stderr, long millis, long launchedAt) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
      this.millis = millis;
      this.launchedAt = launchedAt;
    }

    /** Milliseconds from launching the JVM to the first line of main(), as PrintCredentialApp reports it. */
    long millisToMain() {
      return Long.parseLong(value("mainAt")) - launchedAt;
    }

    /** The value of a {@code key=value} line the app printed, or null. */
    String value(String key) {
      for (String line : stdout.split("\n")) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1).trim();
        }
      }
      return null;
    }

    /** The agent's own stderr lines. */
    List<String> agentLines() {
      return Arrays.stream(stderr.split("\n")).filter(l -> l.startsWith("mondoo-wif agent:"))
          .collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return "exit " + exit + " after " + millis + " ms\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }
}
