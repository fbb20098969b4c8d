package io.github.mondoowif;

/**
 * A setting is missing or invalid. The message names the key, where its value came from and the value
 * itself (secret settings are never echoed).
 */
public final class ConfigException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  public ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The {@code mondoo.wif.*} key at fault, without the prefix, or {@code null} when not one key. */
  public String key() {
    return key;
  }
}
