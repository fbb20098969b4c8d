package io.github.mondoowif.spi;

/**
 * One identity source: a place a workload's external identity token (a JWT) comes from, such as Azure's
 * instance metadata service, a GitHub Actions job or a file. The library exchanges that token at Mondoo's
 * Secure Token Service.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.github.mondoowif.spi.CredentialProvider}. It needs a public no-argument
 * constructor that does no I/O.
 *
 * <h2>Selection</h2>
 * With {@code mondoo.wif.source=auto} (the default) the providers are ordered by {@link #priority()}, then
 * by {@link #name()}, and the first whose {@link #applicability} says yes is used for the life of the
 * configuration. With {@code mondoo.wif.source=<name>} that provider is used outright, without asking
 * {@code applicability}. A provider that applies but then fails to fetch never hands over to another one:
 * the failure is reported as is.
 *
 * <h2>Threads and blocking</h2>
 * Instances are shared and must be thread-safe. The library calls {@link #fetchToken} from one thread at a
 * time per configuration, but several configurations may share one instance. {@link #applicability} must
 * answer quickly: reading the environment is instant; a network probe is allowed only with a bound of one
 * second. {@link #fetchToken} may block on I/O, but every wait must be bounded (connect and read timeouts,
 * a bounded number of retries).
 *
 * <h2>Exceptions</h2>
 * {@link #applicability} must not throw; if it does, the provider is reported as broken and skipped.
 * {@link #fetchToken} throws {@link TokenSourceException} for every failure, with {@code retryable} set
 * when a later attempt may succeed. A {@link RuntimeException} is treated as a bug in the provider and
 * reported as a non-retryable failure.
 */
public interface CredentialProvider {

  /** Built-in providers use priorities from 10 to 1000; lower is asked first. */
  int DEFAULT_PRIORITY = 0;

  /**
   * A stable, lower-case name such as {@code azure-imds}: what {@code mondoo.wif.source} selects and what
   * errors and diagnostics print. Two providers with the same name: the first loaded wins.
   */
  String name();

  /**
   * The order among applicable providers; lower is asked first. Third-party providers default to
   * {@value #DEFAULT_PRIORITY}, ahead of every built-in one: a provider someone put on the class path on
   * purpose should win over a guess.
   */
  default int priority() {
    return DEFAULT_PRIORITY;
  }

  /** Whether this source exists here; cheap, bounded to one second, never throws. */
  Applicability applicability(ProviderContext context);

  /** Fetches a subject token. Bounded in time; see the class documentation. */
  SubjectToken fetchToken(ProviderContext context) throws TokenSourceException;
}
