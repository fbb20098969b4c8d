package io.github.mondoowif.agent.cli;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code exec -- <command> [args…]}: runs a command with {@code MONDOO_CONFIG_BASE64} in its environment. The
 * child shares this process's stdin, stdout and stderr; its exit status becomes ours; SIGTERM and SIGINT
 * reach it through a shutdown hook that stops it and waits.
 */
final class ExecCommand implements Command {
  static final String VARIABLE = "MONDOO_CONFIG_BASE64";
  /** Like {@code env} and {@code docker run}: the credential could not be had, nothing was run. */
  static final int EXEC_FAILED = 125;
  static final int NOT_EXECUTABLE = 126;
  static final int NOT_FOUND = 127;
  private static final long STOP_GRACE_SECONDS = 10;

  @Override
  public String name() {
    return "exec";
  }

  @Override
  public String summary() {
    return "Run a command with MONDOO_CONFIG_BASE64 set, e.g. exec -- cnspec scan local.";
  }

  @Override
  public void describe(CommandSpec spec) {
    spec.usageMessage().description(
        "Obtains the credential, then runs COMMAND with MONDOO_CONFIG_BASE64 set in",
        "its environment. COMMAND inherits stdin, stdout and stderr, and its exit",
        "status is passed through; SIGTERM and SIGINT stop it. Exit status 125: no",
        "credential (COMMAND did not run); 126: COMMAND cannot be executed; 127:",
        "COMMAND not found. Put the settings before '--':",
        "",
        "  java -jar mondoo-wif-agent.jar exec -- cnspec scan local");
    spec.parser().stopAtPositional(true);
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("COMMAND")
        .arity("1..*")
        .required(true)
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description("The command and its arguments.")
        .build());
  }

  @Override
  public int run(ParseResult parsed, MondooWifConfig config, CliContext ctx) {
    List<String> command = parsed.matchedPositionalValue(0, List.of());
    MondooCredential credential;
    try (MondooCredentials credentials = Cli.credentials(config, ctx)) {
      credential = Cli.credential(credentials, config);
    } catch (MondooWifException e) {
      Cli.error(ctx, name(), e);
      ctx.err.println(Cli.NAME + " exec: " + command.get(0) + " was not run");
      return EXEC_FAILED;
    }

    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put(VARIABLE, credential.base64Config());
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      boolean missing = m.contains("error=2,") || m.contains("No such file");
      ctx.err.println(Cli.NAME + " exec: cannot run " + command.get(0) + ": "
          + (missing ? "command not found" : m));
      return missing ? NOT_FOUND : NOT_EXECUTABLE;
    }

    Thread stopper = new Thread(() -> stop(child), "mondoo-wif-exec-stop");
    boolean hooked = false;
    if (ctx.shutdownHooks) {
      Runtime.getRuntime().addShutdownHook(stopper);
      hooked = true;
    }
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      stop(child);
      Thread.currentThread().interrupt();
      return child.isAlive() ? EXEC_FAILED : child.exitValue();
    } finally {
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to: it owns stopping the child now
        }
      }
    }
  }

  /** SIGTERM, a grace period, then SIGKILL. The JVM itself exits 128+signal, as a shell would. */
  private static void stop(Process child) {
    if (!child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
