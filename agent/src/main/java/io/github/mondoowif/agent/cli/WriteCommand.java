package io.github.mondoowif.agent.cli;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.CredentialFile;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code write --output-file <path> [--watch]}: the decoded credential JSON in a file (0600, replaced
 * atomically) for {@code MONDOO_CONFIG_PATH}. With {@code --watch} it stays running and rewrites the file
 * whenever the credential is refreshed: a sidecar for tools that are not on the JVM.
 */
final class WriteCommand implements Command {
  private static final String WATCH = "--watch";

  @Override
  public String name() {
    return "write";
  }

  @Override
  public String summary() {
    return "Write the credential JSON to --output-file (0600); --watch keeps it fresh.";
  }

  @Override
  public void describe(CommandSpec spec) {
    spec.usageMessage().description(
        "Writes the decoded credential JSON to the --output-file path, readable by",
        "its owner only and replaced atomically, for tools that read",
        "MONDOO_CONFIG_PATH. With --watch it keeps running and rewrites the file",
        "whenever the credential is refreshed, until stopped (SIGTERM, Ctrl-C):",
        "",
        "  java -jar mondoo-wif-agent.jar write --output-file=/run/mondoo.json --watch &",
        "  MONDOO_CONFIG_PATH=/run/mondoo.json cnspec scan local");
    spec.addOption(OptionSpec.builder(WATCH).arity("0").type(boolean.class)
        .description("Keep running and rewrite the file whenever the credential is refreshed.").build());
  }

  @Override
  public int run(ParseResult parsed, MondooWifConfig config, CliContext ctx) {
    Optional<String> file = config.setting(ConfigKeys.OUTPUT_FILE);
    if (file.isEmpty()) {
      ctx.err.println(Cli.NAME + " write: --output-file <path> is required (or -Dmondoo.wif.output-file, "
          + ConfigKeys.envName(ConfigKeys.OUTPUT_FILE) + ")");
      return Cli.USAGE;
    }
    Path target;
    try {
      target = Paths.get(file.get());
    } catch (InvalidPathException e) {
      ctx.err.println(Cli.NAME + " write: --output-file \"" + file.get() + "\" (from "
          + config.originOf(ConfigKeys.OUTPUT_FILE) + ") is not a valid path: " + e.getReason());
      return Cli.USAGE;
    }
    boolean watch = parsed.matchedOptionValue(WATCH, false);
    try (MondooCredentials credentials = Cli.credentials(config, ctx)) {
      return watch ? watch(credentials, config, target, ctx) : once(credentials, config, target, ctx);
    }
  }

  private int once(MondooCredentials credentials, MondooWifConfig config, Path target, CliContext ctx) {
    try {
      MondooCredential c = Cli.credential(credentials, config);
      CredentialFile.write(target, c.configJson());
      ctx.err.println(Cli.NAME + " write: wrote " + target.toAbsolutePath() + " (" + Cli.summary(c) + ")");
      return Cli.OK;
    } catch (MondooWifException | IOException e) {
      Cli.error(ctx, name(), e);
      return Cli.FAILED;
    }
  }

  /**
   * One loop owns the file: it wakes when the refresh engine announces a credential, or every poll interval
   * at the latest, asks for the current credential (which also refreshes it when due), and writes it if it
   * is not the one already written. Interrupting the thread stops it; so does SIGTERM through a hook that
   * interrupts it and waits.
   */
  private int watch(MondooCredentials credentials, MondooWifConfig config, Path target, CliContext ctx) {
    LinkedBlockingQueue<MondooCredential> announced = new LinkedBlockingQueue<>();
    CredentialListener listener = announced::offer;
    credentials.addListener(listener);
    Thread loop = Thread.currentThread();
    Thread hook = new Thread(() -> {
      loop.interrupt();
      try {
        loop.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException ignored) {
        // exiting anyway
      }
    }, "mondoo-wif-write-stop");
    if (ctx.shutdownHooks) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    ctx.err.println(Cli.NAME + " write: keeping " + target.toAbsolutePath() + " fresh until stopped");
    MondooCredential written = null;
    String lastProblem = null;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          MondooCredential c = Cli.credential(credentials, config);
          if (c != written) {
            CredentialFile.write(target, c.configJson());
            written = c;
            lastProblem = null;
            ctx.err.println(Cli.NAME + " write: wrote " + target.toAbsolutePath() + " (" + Cli.summary(c) + ")");
          }
        } catch (ConfigException e) {
          Cli.error(ctx, name(), e);
          return Cli.FAILED; // a setting is wrong: waiting will not fix it
        } catch (MondooWifException | IOException e) {
          if (Thread.currentThread().isInterrupted()) {
            break;
          }
          // One line per change of cause, not per attempt: the wrapper's text moves with every retry.
          String problem = Cli.describe(e.getCause() != null ? e.getCause() : e);
          if (!problem.equals(lastProblem)) {
            ctx.err.println(Cli.NAME + " write: " + Cli.describe(e) + (written == null ? "" : "; the file still "
                + "holds the credential that expires " + written.expiresAt()));
            lastProblem = problem;
          }
        }
        announced.poll(ctx.watchPoll.toMillis(), TimeUnit.MILLISECONDS);
        announced.clear();
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      credentials.removeListener(listener);
      if (ctx.shutdownHooks) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is what stopped us
        }
      }
    }
    ctx.err.println(Cli.NAME + " write: stopped; " + target.toAbsolutePath() + " is left in place");
    return Cli.OK;
  }
}
