package io.github.mondoowif.agent.cli;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** {@code print}: the base64 credential on stdout, and nothing else, for {@code $(…)} in a shell. */
final class PrintCommand implements Command {
  @Override
  public String name() {
    return "print";
  }

  @Override
  public String summary() {
    return "Print the credential (the value of MONDOO_CONFIG_BASE64) on stdout.";
  }

  @Override
  public void describe(CommandSpec spec) {
    spec.usageMessage().description(
        "Exchanges this workload's identity token at Mondoo and prints only the",
        "base64 credential and a newline; errors go to stderr with a non-zero exit",
        "status. For shells:",
        "",
        "  export MONDOO_CONFIG_BASE64=$(java -jar mondoo-wif-agent.jar print)",
        "",
        "The credential is a secret: do not log it.");
  }

  @Override
  public int run(ParseResult parsed, MondooWifConfig config, CliContext ctx) {
    try (MondooCredentials credentials = Cli.credentials(config, ctx)) {
      MondooCredential c = Cli.credential(credentials, config);
      // '\n', not println: the output is exactly the credential and one newline on every platform.
      ctx.out.print(c.base64Config() + "\n");
      ctx.out.flush();
      return Cli.OK;
    } catch (MondooWifException e) {
      Cli.error(ctx, name(), e);
      return Cli.FAILED;
    }
  }
}
