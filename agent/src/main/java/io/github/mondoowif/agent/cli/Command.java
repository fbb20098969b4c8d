package io.github.mondoowif.agent.cli;

import io.github.mondoowif.MondooWifConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** One subcommand: how it looks on the command line, and what it does. */
interface Command {
  String name();

  /** One line for the command list. */
  String summary();

  /** Adds the command's own options and parameters and its longer description; the settings are added for it. */
  void describe(CommandSpec spec);

  /** Runs with the configuration already loaded; returns the exit status. */
  int run(ParseResult parsed, MondooWifConfig config, CliContext ctx);
}
