package io.github.mondoowif.internal;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Hands the {@code -javaagent}'s credential to an application that also uses this library, so the JVM does
 * one exchange, not two. Internal, may change.
 *
 * <p>The agent carries its own, relocated copy of this library, so its classes are not the application's
 * classes; the two meet only through JDK types. The agent sets the system property
 * {@value #ACTIVE_PROPERTY}{@code =true} before {@code main()} runs and publishes each credential in
 * {@value #CREDENTIAL_PROPERTY} (and the provider's name in {@value #PROVIDER_PROPERTY}). This class reads
 * them and parses each distinct value once.
 *
 * <p>{@code MondooCredentials.get()} consults it first:
 * {@code if (AgentHandoff.active()) return AgentHandoff.system().credential();}
 */
public final class AgentHandoff {
  /** Set to {@code true} by the agent when it starts working, before {@code main()}. */
  public static final String ACTIVE_PROPERTY = "mondoo.wif.agent.active";
  /** The current credential, exactly as the STS returned it (the value of {@code MONDOO_CONFIG_BASE64}). */
  public static final String CREDENTIAL_PROPERTY = "mondoo.config.base64";
  /** The name of the provider the agent's credential came from. */
  public static final String PROVIDER_PROPERTY = "mondoo.wif.agent.provider";

  /** How often {@link #credential(Duration)} looks again: the property channel has no notification. */
  static final Duration POLL = Duration.ofMillis(50);
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /** The lifetime assumed when the certificate gives none: the default of {@code credential-lifetime}. */
  private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  private static final AgentHandoff SYSTEM = new AgentHandoff(System::getProperty, Clock.systemUTC(), Sleeper.SYSTEM);

  private final UnaryOperator<String> properties;
  private final Clock clock;
  private final Sleeper sleeper;
  private volatile Parsed last;

  /**
   * @param properties looks up a system property by name ({@code System::getProperty} in production)
   */
  public AgentHandoff(UnaryOperator<String> properties, Clock clock, Sleeper sleeper) {
    this.properties = Objects.requireNonNull(properties, "properties");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /** The hand-off that reads the real system properties. */
  public static AgentHandoff system() {
    return SYSTEM;
  }

  /** Whether the agent runs in this JVM: then the application should take its credential from here. */
  public static boolean active() {
    return SYSTEM.isActive();
  }

  public boolean isActive() {
    return "true".equalsIgnoreCase(properties.apply(ACTIVE_PROPERTY));
  }

  /**
   * The agent's current credential when the agent is active and has published one that is still valid;
   * empty otherwise. Never returns an expired credential.
   */
  public Optional<MondooCredential> current() {
    if (!isActive()) {
      return Optional.empty();
    }
    Parsed p = parsed();
    if (p == null || p.credential == null || !clock.instant().isBefore(p.credential.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(p.credential);
  }

  /**
   * The agent's current credential, waiting up to {@code mondoo.wif.wait-timeout} (30 s by default) for
   * the agent to publish a valid one.
   */
  public MondooCredential credential() throws MondooWifException {
    Duration wait = DEFAULT_WAIT;
    String configured = properties.apply(ConfigKeys.PREFIX + ConfigKeys.WAIT_TIMEOUT);
    if (configured != null && !configured.isBlank()) {
      try {
        wait = Durations.parse(configured);
      } catch (IllegalArgumentException e) {
        // MondooWifConfig reports a bad value where it is loaded; here the default is the safe choice.
      }
    }
    return credential(wait);
  }

  /**
   * The agent's current credential, waiting at most {@code maxWait} for the agent to publish a valid one
   * (at start, or while a refresh of an expired one is in flight).
   *
   * @throws CredentialUnavailableException when none arrived in time; the message says what the agent
   *     published, and the agent's own stderr line says why
   */
  public MondooCredential credential(Duration maxWait) throws MondooWifException {
    Objects.requireNonNull(maxWait, "maxWait");
    Instant deadline = clock.instant().plus(maxWait);
    while (true) {
      Optional<MondooCredential> c = current();
      if (c.isPresent()) {
        return c.get();
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw unavailable(maxWait);
      }
      Duration left = Duration.between(now, deadline);
      try {
        sleeper.sleep(left.compareTo(POLL) < 0 ? left : POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CredentialUnavailableException(
            "interrupted while waiting for the mondoo-wif agent's credential", e);
      }
    }
  }

  private CredentialUnavailableException unavailable(Duration waited) {
    Parsed p = parsed();
    String what;
    if (!isActive()) {
      what = "the mondoo-wif agent is not active in this JVM (" + ACTIVE_PROPERTY + " is not true)";
    } else if (p == null) {
      what = "the mondoo-wif agent has not published a credential yet (" + CREDENTIAL_PROPERTY + " is not set)";
    } else if (p.credential == null) {
      what = "the value of " + CREDENTIAL_PROPERTY + " (sha256=" + Secrets.fingerprint(p.value)
          + ") is not a valid credential: " + p.error.getMessage();
    } else {
      what = "the mondoo-wif agent's credential (sha256=" + p.credential.fingerprint() + ") expired at "
          + p.credential.expiresAt() + " and no refresh has arrived";
    }
    return new CredentialUnavailableException("no valid Mondoo credential within " + Durations.format(waited)
        + ": " + what + "; the agent's stderr line says why", p == null ? null : p.error);
  }

  /** The parse of the property's current value, computed once per distinct value. */
  private Parsed parsed() {
    String value = properties.apply(CREDENTIAL_PROPERTY);
    if (value == null || value.isBlank()) {
      return null;
    }
    Parsed p = last;
    if (p != null && p.value.equals(value)) {
      return p;
    }
    String provider = properties.apply(PROVIDER_PROPERTY);
    try {
      p = new Parsed(value, MondooCredential.parse(
          value, provider == null || provider.isBlank() ? "agent" : "agent:" + provider, clock.instant(),
          DEFAULT_LIFETIME), null);
    } catch (InvalidCredentialException e) {
      p = new Parsed(value, null, e);
    }
    last = p;
    return p;
  }

  private static final class Parsed {
    final String value;
    final MondooCredential credential;
    final InvalidCredentialException error;

    Parsed(String value, MondooCredential credential, InvalidCredentialException error) {
      this.value = value;
      this.credential = credential;
      this.error = error;
    }
  }

  @Override
  public String toString() {
    Parsed p = last;
    return "AgentHandoff{active=" + isActive() + ", credential="
        + (p == null ? "none" : p.credential == null ? "invalid sha256=" + Secrets.fingerprint(p.value) : p.credential)
        + "}";
  }
}
