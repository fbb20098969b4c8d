package io.github.mondoowif.spi;

import io.github.mondoowif.MondooWifConfig;
import java.time.Clock;

/**
 * What a {@link CredentialProvider} may read: the configuration, the environment and the clock. Providers
 * read the environment only through {@link #env(String)}, never through {@link System#getenv}, so that
 * tests and diagnostics can hand them any environment they like.
 */
public interface ProviderContext {

  /** The configuration in effect. */
  MondooWifConfig config();

  /** The environment variable {@code name}, or {@code null} when unset or blank. */
  String env(String name);

  /** The clock to read "now" from. */
  Clock clock();
}
