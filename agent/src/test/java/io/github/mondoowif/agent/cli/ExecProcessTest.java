package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.testing.FakeMondooApi;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec} through {@code Cli.main} in a real JVM, for what only a real process shows: stdin reaching the
 * child, and SIGTERM to the JVM reaching the child before the JVM exits 128+15.
 */
class ExecProcessTest {
  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeMondooApi fake = FakeMondooApi.on(server);
  @TempDir Path dir;
  private Process jvm;
  private List<ProcessHandle> grandchildren = List.of();

  @AfterEach
  void cleanUp() {
    if (jvm != null && jvm.isAlive()) {
      jvm.destroyForcibly();
    }
    grandchildren.forEach(ProcessHandle::destroyForcibly); // if the signal was not forwarded, sh is orphaned
  }

  private ProcessBuilder cli(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.add("exec");
    command.add("--universe-domain=" + fake.universeDomain());
    command.add("--");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile());
    pb.environment().putAll(CliRunner.cloudShell(fake));
    return pb;
  }

  @Test
  void exec_stdinAndStdout_reachTheChild() throws Exception {
    Path seen = dir.resolve("seen");
    jvm = cli("sh", "-c", "read line; printf %s \"$line\" > \"$1\"; echo from-child", "sh", seen.toString()).start();
    try (OutputStream stdin = jvm.getOutputStream()) {
      stdin.write("hello from stdin\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
    assertThat(Files.readString(seen)).isEqualTo("hello from stdin");
    assertThat(new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from-child\n");
  }

  @Test
  void exec_sigtermToTheJvm_reachesTheChildAndExitIs143() throws Exception {
    Path ready = dir.resolve("ready");
    Path trapped = dir.resolve("trapped");
    jvm = cli("sh", "-c", "trap 'echo TERM > \"$2\"; exit 7' TERM; echo up > \"$1\"; while :; do sleep 0.1; done",
        "sh", ready.toString(), trapped.toString()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready));
    grandchildren = jvm.descendants().toList();

    jvm.destroy(); // SIGTERM

    assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).isEqualTo(128 + 15);
    assertThat(Files.readString(trapped)).isEqualTo("TERM\n");
  }
}
