package io.github.mondoowif;

import java.util.List;

/**
 * No identity source applies here. The message lists every provider that was asked and why it declined,
 * plus every provider that could not even be loaded.
 */
public final class NoProviderException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  private final List<String> reasons;

  public NoProviderException(String message, List<String> reasons) {
    super(message);
    this.reasons = List.copyOf(reasons);
  }

  /** One line per provider: {@code "<name>: <why not>"}. */
  public List<String> reasons() {
    return reasons;
  }
}
