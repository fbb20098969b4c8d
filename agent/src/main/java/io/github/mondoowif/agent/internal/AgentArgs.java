package io.github.mondoowif.agent.internal;

import io.github.mondoowif.internal.ConfigKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code -javaagent:mondoo-wif-agent.jar=<args>} string: {@code key=value} pairs separated by commas,
 * where a key is a {@code mondoo.wif.*} setting without its prefix. Internal.
 *
 * <p>A piece without {@code =} continues the previous value, so lists read naturally:
 * {@code inject-env=cnspec,cnquery,mql}. A value may contain {@code =}; only the first one splits.
 */
final class AgentArgs {
  private final Map<String, String> settings;
  private final List<String> unknownKeys;
  private final int malformed;

  private AgentArgs(Map<String, String> settings, List<String> unknownKeys, int malformed) {
    this.settings = Collections.unmodifiableMap(settings);
    this.unknownKeys = Collections.unmodifiableList(unknownKeys);
    this.malformed = malformed;
  }

  static AgentArgs parse(String args) {
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    int malformed = 0;
    if (args == null || args.isBlank()) {
      return new AgentArgs(settings, unknown, malformed);
    }
    String lastKey = null;
    for (String piece : args.split(",", -1)) {
      int eq = piece.indexOf('=');
      if (eq < 0) {
        if (lastKey != null) {
          settings.put(lastKey, settings.get(lastKey) + "," + piece.trim());
        } else if (!piece.isBlank()) {
          malformed++;
        }
        continue;
      }
      String key = piece.substring(0, eq).trim();
      if (key.startsWith(ConfigKeys.PREFIX)) {
        key = key.substring(ConfigKeys.PREFIX.length());
      }
      if (key.isEmpty()) {
        malformed++;
        lastKey = null;
        continue;
      }
      settings.put(key, piece.substring(eq + 1).trim());
      lastKey = key;
      if (ConfigKeys.get(key) == null && !unknown.contains(key)) {
        unknown.add(key);
      }
    }
    return new AgentArgs(settings, unknown, malformed);
  }

  /** Every setting given, by key without prefix. Values may be secret ({@code jwt-token}): never print them. */
  Map<String, String> settings() {
    return settings;
  }

  String get(String key) {
    return settings.get(key);
  }

  /** Keys that name no {@code mondoo.wif.*} setting: almost always a typo. */
  List<String> unknownKeys() {
    return unknownKeys;
  }

  /**
   * How many pieces were neither {@code key=value} nor the continuation of a value. Only counted: such a
   * piece may be a secret pasted in the wrong place.
   */
  int malformed() {
    return malformed;
  }
}
