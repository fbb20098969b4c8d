package io.github.mondoowif.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One kind of child process (a JVM with or without the agent, or a shell pipeline), launched again and again
 * with an environment built from scratch: nothing of this machine's environment leaks in, and the Azure
 * IMDS and GCP metadata defaults point at a closed loopback port, so nothing can ever leave the machine.
 * Every run is bounded.
 */
final class Child {
  static final Path JAVA = Paths.get(System.getProperty("java.home"), "bin", "java");
  private static final long TIMEOUT_SECONDS = 120;

  final String label;
  private final List<String> command;
  private final Map<String, String> env = new LinkedHashMap<>();

  private Child(String label, List<String> command) {
    this.label = label;
    this.command = command;
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("HOME", System.getProperty("java.io.tmpdir"));
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9");
    env.put("GCE_METADATA_HOST", "127.0.0.1:9");
  }

  /** {@code java [jvmOptions] -cp classPath main args}, default JIT and GC: as users run. */
  static Child jvm(String label, String classPath, List<String> jvmOptions, Class<?> main, String... args) {
    List<String> c = new ArrayList<>();
    c.add(JAVA.toString());
    c.addAll(jvmOptions);
    c.add("-cp");
    c.add(classPath);
    c.add(main.getName());
    c.addAll(List.of(args));
    return new Child(label, c);
  }

  static Child shell(String label, String script) {
    return new Child(label, List.of("/bin/sh", "-c", script));
  }

  Child env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Run run() throws IOException, InterruptedException {
    Path out = Files.createTempFile("bench-", ".out");
    Path err = Files.createTempFile("bench-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      long launchedAt = System.currentTimeMillis();
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(label + ": did not finish within " + TIMEOUT_SECONDS + " s\n"
            + Files.readString(err));
      }
      double wallMillis = (System.nanoTime() - t0) / 1e6;
      Run r = new Run(label, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), launchedAt, wallMillis);
      if (r.exit != 0) {
        throw new IllegalStateException(label + ": exit " + r.exit + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr);
      }
      return r;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What one run printed: {@code key=value} lines; times are {@code System.currentTimeMillis()} values. */
  static final class Run {
    final String label;
    final int exit;
    final String stdout;
    final String stderr;
    final long launchedAt;
    final double wallMillis;

    Run(String label, int exit, String stdout, String stderr, long launchedAt, double wallMillis) {
      this.label = label;
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
      this.launchedAt = launchedAt;
      this.wallMillis = wallMillis;
    }

    String value(String key) {
      for (String line : stdout.split("\n")) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1).trim();
        }
      }
      throw new IllegalStateException(label + " printed no " + key + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
    }

    /** Milliseconds from launch to the moment the child printed as {@code key}. */
    long sinceLaunch(String key) {
      return Long.parseLong(value(key)) - launchedAt;
    }

    long number(String key) {
      return Long.parseLong(value(key));
    }
  }
}
