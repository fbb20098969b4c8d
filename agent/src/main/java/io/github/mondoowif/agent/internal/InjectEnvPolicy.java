package io.github.mondoowif.agent.internal;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code mondoo.wif.inject-env}: which child processes get {@code MONDOO_CONFIG_BASE64}. {@code all} (the
 * default), {@code none}, or executable base names separated by commas ({@code cnspec,cnquery,mql}).
 * Resolved once into the canonical form {@link ProcessBuilderAdvice} reads from a system property. Internal.
 */
final class InjectEnvPolicy {
  static final String ALL = "all";
  static final String NONE = "none";

  private InjectEnvPolicy() {}

  /**
   * The canonical policy: {@code all}, {@code none}, or trimmed base names (directories and {@code .exe}
   * dropped, duplicates removed) joined by commas.
   */
  static String resolve(String raw) {
    if (raw == null || raw.isBlank()) {
      return ALL;
    }
    String v = raw.trim();
    if (v.equalsIgnoreCase(ALL)) {
      return ALL;
    }
    if (v.equalsIgnoreCase(NONE)) {
      return NONE;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String piece : v.split(",")) {
      String name = piece.trim();
      name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
      if (name.length() > 4 && name.toLowerCase(Locale.ROOT).endsWith(".exe")) {
        name = name.substring(0, name.length() - 4);
      }
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names.isEmpty() ? NONE : String.join(",", names);
  }
}
