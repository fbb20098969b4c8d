package io.github.mondoowif;

import io.github.mondoowif.internal.CredentialExchange;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.CredentialProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Thread-safe. The provider is selected once per instance and never changes: a failing source is
 * reported, never replaced by another identity.
 */
public final class MondooCredentials implements AutoCloseable {
  private static final Object DEFAULT_LOCK = new Object();
  private static volatile MondooCredentials defaultInstance;

  private final MondooWifConfig config;
  private final CredentialExchange exchange;
  private final Clock clock;
  private final Object lock = new Object();
  private volatile MondooCredential current;
  private volatile boolean closed;
  private final java.util.List<CredentialListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private MondooCredentials(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    ProviderRuntime runtime = ProviderRuntime.builder(b.config).env(b.env).clock(b.clock).build();
    ProviderRegistry registry =
        b.providers != null ? ProviderRegistry.of(b.providers) : ProviderRegistry.load(b.classLoader);
    StsClient sts = new StsClient(HttpClients.sts(b.config.requestTimeout()), Sleeper.SYSTEM, b.clock,
        () -> ThreadLocalRandom.current().nextDouble());
    this.exchange = new CredentialExchange(runtime, registry, sts);
  }

  /**
   * The current credential for the default configuration, loaded from system properties, environment and
   * the WIF file on first use.
   *
   * @throws ConfigException when the configuration is missing or invalid
   * @throws MondooWifException when no credential could be obtained; the message says why
   */
  public static MondooCredential get() throws MondooWifException {
    return defaultInstance().credential();
  }

  /** The shared instance behind {@link #get()}, created on first use. */
  public static MondooCredentials defaultInstance() throws ConfigException {
    MondooCredentials d = defaultInstance;
    if (d == null) {
      synchronized (DEFAULT_LOCK) {
        d = defaultInstance;
        if (d == null) {
          d = builder().config(MondooWifConfig.load()).build();
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
   * The current credential: the cached one while it is comfortably valid, otherwise a new exchange.
   * Never returns an expired credential.
   */
  public MondooCredential credential() throws MondooWifException {
    MondooCredential c = current;
    Instant now = clock.instant();
    if (c != null && now.isBefore(refreshPoint(c))) {
      return c;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("this MondooCredentials is closed");
      }
      c = current;
      if (c != null && clock.instant().isBefore(refreshPoint(c))) {
        return c;
      }
      MondooCredential fresh = exchange.exchange();
      current = fresh;
      for (CredentialListener l : listeners) {
        notifyCredential(l, fresh);
      }
      return fresh;
    }
  }

  /**
   * The current credential, waiting at most {@code maxWait} for a refresh when none is valid.
   *
   * @throws CredentialUnavailableException when the wait ran out; its cause is the last failure, if any
   */
  public MondooCredential credential(Duration maxWait) throws MondooWifException {
    // The foundation exchanges on the caller's thread; the refresh engine bounds the wait.
    return credential();
  }

  /** The current credential if one is valid now, without waiting or refreshing. */
  public java.util.Optional<MondooCredential> peek() {
    MondooCredential c = current;
    return c != null && clock.instant().isBefore(c.expiresAt()) ? java.util.Optional.of(c) : java.util.Optional.empty();
  }

  /**
   * Starts obtaining the first credential in the background and returns at once. Idempotent. Listeners
   * hear about the result.
   */
  public void start() {
    Thread t = new Thread(() -> {
      try {
        credential();
      } catch (MondooWifException | RuntimeException e) {
        for (CredentialListener l : listeners) {
          notifyFailure(l, e instanceof MondooWifException ? (MondooWifException) e : new MondooWifException(e.toString(), e));
        }
      }
    }, "mondoo-wif-start");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Adds a listener. If a credential is current, the listener hears about it at once, on this thread;
   * afterwards it hears every new one.
   */
  public void addListener(CredentialListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    MondooCredential c = current;
    if (c != null) {
      notifyCredential(listener, c);
    }
  }

  public void removeListener(CredentialListener listener) {
    listeners.remove(listener);
  }

  private static void notifyCredential(CredentialListener l, MondooCredential c) {
    try {
      l.onCredential(c);
    } catch (RuntimeException e) {
      io.github.mondoowif.internal.Log.warn("credential listener " + l.getClass().getName() + " threw "
          + e.getClass().getName() + "; other listeners are unaffected");
    }
  }

  private static void notifyFailure(CredentialListener l, MondooWifException e) {
    try {
      l.onRefreshFailure(e, 1, false);
    } catch (RuntimeException ex) {
      io.github.mondoowif.internal.Log.warn("credential listener " + l.getClass().getName() + " threw "
          + ex.getClass().getName() + "; other listeners are unaffected");
    }
  }

  /** Exchanged again from this point on: {@code expiresAt − min(L/10, 60 s)}. */
  static Instant refreshPoint(MondooCredential c) {
    Duration tenth = c.lifetime().dividedBy(10);
    Duration margin = tenth.compareTo(Duration.ofSeconds(60)) < 0 ? tenth : Duration.ofSeconds(60);
    return c.expiresAt().minus(margin);
  }

  /** The configuration this instance serves. */
  public MondooWifConfig config() {
    return config;
  }

  /** The name of the selected provider, or {@code null} before the first exchange selected one. */
  public String providerName() {
    return exchange.providerName();
  }

  /** Stops this instance; later {@link #credential()} calls fail. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      current = null;
    }
  }

  @Override
  public String toString() {
    MondooCredential c = current;
    return "MondooCredentials{audience=" + config.audience() + ", provider=" + providerName() + ", credential="
        + (c == null ? "none" : c.toString()) + "}";
  }

  /** Builds a {@link MondooCredentials}. Each option may be set once. */
  public static final class Builder {
    private MondooWifConfig config;
    private Clock clock;
    private Map<String, String> env;
    private ClassLoader classLoader;
    private List<CredentialProvider> providers;

    private Builder() {}

    public Builder config(MondooWifConfig config) {
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock for expiry decisions; the system UTC clock by default. */
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
