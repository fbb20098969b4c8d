package io.github.mondoowif.agent.cli;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of the agent jar ({@code java -jar mondoo-wif-agent.jar <command>}): {@code print},
 * {@code exec}, {@code write} and {@code doctor}. Every command takes the agent's settings as
 * {@code --<key>=<value>} options named like the {@code mondoo.wif.*} properties, on top of system properties,
 * the environment and the WIF file.
 */
public final class Cli {
  static final String NAME = "mondoo-wif-agent";
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final List<Command> COMMANDS =
      List.of(new PrintCommand(), new ExecCommand(), new WriteCommand(), new DoctorCommand());

  private Cli() {}

  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.getProperties(), System.in, System.out, System.err);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /** Runs one command in-process and returns its exit status; nothing here calls {@code System.exit}. */
  public static int run(String[] args, Map<String, String> env, Properties sysprops, InputStream in, PrintStream out,
      PrintStream err) {
    return run(args, CliContext.of(env, sysprops, in, out, err));
  }

  static int run(String[] args, CliContext ctx) {
    CommandLine cli = commandLine();
    cli.setOut(new PrintWriter(ctx.out, true));
    cli.setErr(new PrintWriter(ctx.err, true));
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (ParameterException e) {
      ctx.err.println(NAME + ": " + e.getMessage());
      if (e instanceof UnmatchedArgumentException) {
        UnmatchedArgumentException.printSuggestions((UnmatchedArgumentException) e, ctx.err);
      }
      ctx.err.println("Run '" + NAME + " " + commandName(e.getCommandLine()) + "--help' for the options.");
      return USAGE;
    }
    try {
      if (CommandLine.printHelpIfRequested(parsed)) {
        return OK;
      }
    } finally {
      ctx.out.flush();
    }
    if (!parsed.hasSubcommand()) {
      cli.usage(ctx.err);
      return USAGE;
    }
    ParseResult sub = parsed.subcommand();
    Command command = command(sub.commandSpec().name());
    MondooWifConfig config;
    try {
      config = Settings.load(ctx, Settings.overrides(sub));
    } catch (ConfigException e) {
      if (command instanceof DoctorCommand) {
        return ((DoctorCommand) command).runWithoutConfig(sub, e, ctx);
      }
      error(ctx, command.name(), e);
      return command instanceof ExecCommand ? ExecCommand.EXEC_FAILED : FAILED;
    }
    try {
      return command.run(sub, config, ctx);
    } catch (RuntimeException e) {
      ctx.err.println(NAME + " " + command.name() + ": unexpected " + e.getClass().getName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      return FAILED;
    } finally {
      ctx.out.flush();
      ctx.err.flush();
    }
  }

  private static String commandName(CommandLine failing) {
    if (failing == null || failing.getParent() == null) {
      return "";
    }
    return failing.getCommandName() + " ";
  }

  static CommandLine commandLine() {
    CommandSpec top = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true).version(NAME + " " + version());
    top.usageMessage()
        .autoWidth(true)
        .description(
            "Keyless Mondoo credentials from this workload's identity, for shells and",
            "tools that are not on the JVM. Every command takes the agent's settings:",
            "--<key>=<value> named like the mondoo.wif.* properties, -Dmondoo.wif.<key>,",
            "MONDOO_WIF_<KEY>, or the WIF file from the Mondoo console (--config=<path>).",
            "Run '" + NAME + " <command> --help' for a command's options.")
        .commandListHeading("%nCommands:%n");
    for (Command c : COMMANDS) {
      CommandSpec spec = CommandSpec.create().name(c.name()).mixinStandardHelpOptions(true)
          .version(NAME + " " + version());
      spec.usageMessage().header(c.summary()).abbreviateSynopsis(true).sortOptions(false).autoWidth(true)
          .descriptionHeading("%n").optionListHeading("%nOptions (settings as for the agent; see also -D and env):%n");
      c.describe(spec);
      Settings.addOptions(spec);
      top.addSubcommand(c.name(), spec);
    }
    return new CommandLine(top);
  }

  private static Command command(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("no command " + name);
  }

  static String version() {
    String v = Cli.class.getPackage() == null ? null : Cli.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  /** Prints an error and the distinct messages of its causes, which say what to fix. */
  static void error(CliContext ctx, String command, Throwable e) {
    ctx.err.println(NAME + " " + command + ": " + describe(e));
  }

  static String describe(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && messages.stream().noneMatch(x -> x.contains(m))) {
        messages.add(m);
      }
    }
    if (messages.isEmpty()) {
      return e.getClass().getName();
    }
    return String.join("\n  caused by: ", new ArrayList<>(messages));
  }

  /** A credential source for one command: the same discovery and exchange the agent uses. */
  static MondooCredentials credentials(MondooWifConfig config, CliContext ctx) {
    return MondooCredentials.builder().config(config).environment(ctx.env).clock(ctx.clock).build();
  }

  /** The current credential, waiting at most {@code mondoo.wif.wait-timeout}. */
  static MondooCredential credential(MondooCredentials credentials, MondooWifConfig config)
      throws io.github.mondoowif.MondooWifException {
    Duration wait = config.durationSetting(ConfigKeys.WAIT_TIMEOUT).orElse(Duration.ofSeconds(30));
    return credentials.credential(wait);
  }

  /** mrn, scope and expiry: what a person wants to see about a credential; never the key. */
  static String summary(MondooCredential c) {
    return "mrn " + c.mrn() + (c.scopeMrn() == null ? "" : ", scope " + c.scopeMrn()) + ", expires " + c.expiresAt()
        + ", from " + c.provider() + ", sha256 " + c.fingerprint();
  }
}
