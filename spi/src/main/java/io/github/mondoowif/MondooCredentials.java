package io.github.mondoowif;

import io.github.mondoowif.internal.AgentHandoff;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.CredentialExchange;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.jmx.Publication;
import io.github.mondoowif.internal.jmx.StatusMBeans;
import io.github.mondoowif.internal.refresh.RefreshingCredentialSource;
import io.github.mondoowif.internal.refresh.SubjectTokenCache;
import io.github.mondoowif.internal.refresh.TokenReusingExchanger;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.CredentialProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keyless Mondoo credentials, the way {@code DriverManager} hands out connections: {@link #get()} picks the
 * identity source, exchanges its token at Mondoo's STS, caches the result and exchanges again before it
 * expires.
 *
 * <pre>{@code
 * MondooCredential credential = MondooCredentials.get();
 * String forChildren = credential.base64Config(); // MONDOO_CONFIG_BASE64
 * }</pre>
 *
 * <p>For several spaces in one JVM, build one instance per configuration with {@link #create} or
 * {@link #builder()}, and {@link #close()} it when done.
 *
 * <h2>Refresh</h2>
 * Once the first credential exists, {@link #credential()} answers at once: a volatile read while the
 * credential is fresh. Each credential turns stale at a random point between a third and a sixth of its
 * lifetime before it expires; from then on it is still served while one background exchange replaces it.
 * The refresh also happens when nobody asks, on one shared daemon thread ({@code mondoo-wif-refresh}) for
 * the whole JVM. A credential is never handed out in the last {@code min(L/10, 60 s)} of its lifetime L:
 * callers then wait, at most {@code mondoo.wif.wait-timeout} (30 s), for the one exchange in flight.
 * However many threads ask, one exchange runs at a time per instance.
 *
 * <p>When an exchange fails, the current credential keeps being served while it is valid, and the
 * exchange is retried with exponential backoff (full jitter from 1 s; capped at {@code min(5 min,
 * remaining/4)} while a credential is served, 30 s otherwise). One warning is logged when refreshing
 * starts failing and one line when it recovers. Subject tokens with at least 5 minutes left (Azure
 * managed-identity tokens live about 24 h) are reused for the next exchange; tokens read from files never
 * are.
 *
 * <p>The status of each instance is visible over JMX as
 * {@code io.github.mondoowif:type=Credential,name=<name>} once the JVM has an MBean server; this library
 * never creates one itself (that would cost startup time and initialise {@code java.util.logging}).
 *
 * <p>Thread-safe. The provider is selected once per instance and never changes: a failing source is
 * reported, never replaced by another identity.
 */
public final class MondooCredentials implements AutoCloseable {
  private static final Object DEFAULT_LOCK = new Object();
  private static volatile MondooCredentials defaultInstance;
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final MondooWifConfig config;
  private final CredentialExchange exchange;
  private final RefreshingCredentialSource source;
  private final Publication jmx;

  private MondooCredentials(Builder b) {
    this.config = b.config;
    ProviderRuntime runtime = ProviderRuntime.builder(b.config).env(b.env).clock(b.clock).build();
    ProviderRegistry registry =
        b.providers != null ? ProviderRegistry.of(b.providers) : ProviderRegistry.load(b.classLoader);
    StsClient sts = new StsClient(HttpClients.sts(b.config.requestTimeout(), b.config.universeDomain()), Sleeper.SYSTEM, b.clock,
        () -> ThreadLocalRandom.current().nextDouble());
    this.exchange = new CredentialExchange(runtime, registry, sts);
    String name = b.name != null ? b.name : nameFor(b.config);
    this.source = RefreshingCredentialSource.builder(new TokenReusingExchanger(exchange, new SubjectTokenCache(b.clock)))
        .name(name)
        .clock(b.clock)
        .waitTimeout(waitTimeout(b.config))
        .providerName(exchange::providerName)
        .build();
    this.jmx = StatusMBeans.publish(name, source::status);
  }

  /**
   * The current credential for the default configuration, loaded from system properties, environment and
   * the WIF file on first use.
   *
   * <p>Under the {@code -javaagent}, this is the agent's credential: the agent already exchanged and keeps
   * refreshing it, so no second exchange happens here. The hand-off goes through the system property
   * {@code mondoo.config.base64} because the agent's copy of these classes is relocated.
   *
   * @throws ConfigException when the configuration is missing or invalid
   * @throws CredentialUnavailableException when no valid credential could be obtained in time; its cause
   *     is the failure, and the message says why
   */
  public static MondooCredential get() throws MondooWifException {
    // Before defaultInstance(): an agent configured only by its arguments leaves no audience to load here.
    if (AgentHandoff.active()) {
      return AgentHandoff.system().credential();
    }
    return defaultInstance().credential();
  }

  /** The shared instance behind {@link #get()}, created on first use and named {@code default}. */
  public static MondooCredentials defaultInstance() throws ConfigException {
    MondooCredentials d = defaultInstance;
    if (d == null) {
      synchronized (DEFAULT_LOCK) {
        d = defaultInstance;
        if (d == null) {
          d = builder().config(MondooWifConfig.load()).name("default").build();
          defaultInstance = d;
        }
      }
    }
    return d;
  }

  /** A new instance for {@code config}, with the providers found on the class path. */
  public static MondooCredentials create(MondooWifConfig config) {
    return builder().config(config).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A valid credential: at once while one is held (also while it is being refreshed in the background),
   * otherwise after waiting up to {@code mondoo.wif.wait-timeout} for the exchange in flight. Never
   * returns an expired credential.
   *
   * @throws CredentialUnavailableException when no valid credential could be had in time: the exchange
   *     failed (its failure is the cause), the wait ran out, or a retry is pending after earlier failures
   * @throws IllegalStateException when this instance is closed
   */
  public MondooCredential credential() throws MondooWifException {
    return source.get();
  }

  /**
   * A valid credential, waiting at most {@code maxWait} for a refresh when none is held.
   *
   * @throws CredentialUnavailableException when no valid credential could be had in time; its cause is
   *     the last failure, if any
   * @throws IllegalStateException when this instance is closed
   */
  public MondooCredential credential(Duration maxWait) throws MondooWifException {
    return source.get(maxWait);
  }

  /** The current credential if one may be served now, without waiting or refreshing. */
  public Optional<MondooCredential> peek() {
    return Optional.ofNullable(source.peek());
  }

  /**
   * Starts obtaining the first credential in the background and returns at once. Idempotent. Listeners
   * hear about the result; after a failure the background keeps retrying with backoff.
   */
  public void start() {
    source.start();
  }

  /**
   * Adds a listener. If a credential may be served now, the listener hears about it at once, on this
   * thread; afterwards it hears every new one, and every failed attempt.
   */
  public void addListener(CredentialListener listener) {
    source.addListener(listener);
  }

  public void removeListener(CredentialListener listener) {
    source.removeListener(listener);
  }

  /** The configuration this instance serves. */
  public MondooWifConfig config() {
    return config;
  }

  /** The name of the selected provider, or {@code null} before the first exchange selected one. */
  public String providerName() {
    return exchange.providerName();
  }

  /** The name of this instance in logs, exceptions and JMX. */
  public String name() {
    return source.name();
  }

  /**
   * Stops this instance: no further exchanges, its JMX entry goes away, and later {@link #credential()}
   * calls throw {@link IllegalStateException}. An exchange already on the wire finishes, but its result is
   * dropped. Idempotent.
   */
  @Override
  public void close() {
    source.close();
    jmx.withdraw();
  }

  @Override
  public String toString() {
    return "MondooCredentials{name=" + source.name() + ", audience=" + config.audience() + ", status="
        + source.status() + "}";
  }

  /** {@code mondoo.wif.wait-timeout}; the configuration has already checked it is a positive duration. */
  private static Duration waitTimeout(MondooWifConfig config) {
    return config.durationSetting(ConfigKeys.WAIT_TIMEOUT).orElse(DEFAULT_WAIT);
  }

  /** The space or organization id of the audience: short, and distinct per configuration. */
  static String nameFor(MondooWifConfig config) {
    String audience = config.audience();
    if (audience == null || audience.isBlank()) {
      return "mondoo";
    }
    String a = audience.endsWith("/") ? audience.substring(0, audience.length() - 1) : audience;
    String last = a.substring(a.lastIndexOf('/') + 1);
    return last.isEmpty() ? "mondoo" : last;
  }

  /** Builds a {@link MondooCredentials}. Each option may be set once. */
  public static final class Builder {
    private MondooWifConfig config;
    private Clock clock;
    private Map<String, String> env;
    private ClassLoader classLoader;
    private List<CredentialProvider> providers;
    private String name;

    private Builder() {}

    public Builder config(MondooWifConfig config) {
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The clock for expiry decisions and the refresh schedule; the system UTC clock by default. The fresh
     * path calls only {@link Clock#millis()}.
     */
    public Builder clock(Clock clock) {
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set to " + this.clock);
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The environment providers see; the process environment by default. */
    public Builder environment(Map<String, String> env) {
      if (this.env != null) {
        throw new IllegalStateException("environment was already set");
      }
      this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
      return this;
    }

    /** The class loader to discover providers with; this library's own by default. */
    public Builder classLoader(ClassLoader classLoader) {
      if (this.classLoader != null) {
        throw new IllegalStateException("classLoader was already set to " + this.classLoader);
      }
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** Use exactly these providers instead of discovering them. */
    public Builder providers(List<? extends CredentialProvider> providers) {
      if (this.providers != null) {
        throw new IllegalStateException("providers were already set to " + this.providers);
      }
      this.providers = List.copyOf(providers);
      return this;
    }

    /**
     * The name of this instance in logs, exceptions and JMX ({@code io.github.mondoowif:type=Credential,
     * name=<name>}); by default the space or organization id at the end of the audience. Letters, digits,
     * dot, dash and underscore are kept in JMX; other characters become {@code _}. When two instances have
     * the same name, JMX gets {@code name-2}, {@code name-3} and so on.
     */
    public Builder name(String name) {
      if (this.name != null) {
        throw new IllegalStateException("name was already set to " + this.name);
      }
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank but was \"" + name + "\"");
      }
      this.name = name.trim();
      return this;
    }

    public MondooCredentials build() {
      if (config == null) {
        throw new IllegalStateException("config is required: MondooCredentials.builder().config(...)");
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      if (env == null) {
        env = System.getenv();
      }
      if (classLoader == null) {
        classLoader = MondooCredentials.class.getClassLoader();
      }
      return new MondooCredentials(this);
    }
  }
}
