package io.github.mondoowif.agent.cli;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The agent's settings as command-line options: one {@code --<key>=<value>} per {@code mondoo.wif.*} key in
 * {@link ConfigKeys}, so every command takes exactly what the agent takes, with the same names. Options win
 * over system properties, which win over the environment, which wins over the WIF file.
 */
final class Settings {
  /** How option values are described in {@link MondooWifConfig#originOf}. */
  static final String ORIGIN = "command-line option";

  private Settings() {}

  /** Adds an option for every known key to {@code spec}. */
  static void addOptions(CommandSpec spec) {
    for (ConfigKeys.Key k : ConfigKeys.all().values()) {
      OptionSpec.Builder o = OptionSpec.builder("--" + k.name)
          .type(String.class)
          .paramLabel(label(k.type))
          .description(k.description + " Also -D" + k.property() + " or " + k.env() + "."
              + (k.defaultValue == null ? "" : " Default: " + k.defaultValue + "."));
      if (k.type == ConfigKeys.Type.BOOLEAN) {
        // `--debug` alone means true, as a flag would.
        o.arity("0..1").fallbackValue("true");
      }
      spec.addOption(o.build());
    }
  }

  private static String label(ConfigKeys.Type type) {
    switch (type) {
      case DURATION:
        return "<duration>";
      case BOOLEAN:
        return "<true|false>";
      case PATH:
        return "<path>";
      case URL:
        return "<url>";
      default:
        return "<value>";
    }
  }

  /** The keys (without prefix) given on the command line, with their values. */
  static Map<String, String> overrides(ParseResult parsed) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ConfigKeys.Key k : ConfigKeys.all().values()) {
      String v = parsed.matchedOptionValue("--" + k.name, null);
      if (v != null) {
        out.put(k.name, v);
      }
    }
    return out;
  }

  static MondooWifConfig load(CliContext ctx, Map<String, String> overrides) throws ConfigException {
    return MondooWifConfig.load(ctx.env, MondooWifConfig.propertiesOf(ctx.sysprops), overrides, ORIGIN);
  }
}
