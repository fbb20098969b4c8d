package io.github.mondoowif.internal;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.spi.ProviderContext;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.OkHttpClient;

/**
 * The {@link ProviderContext} the library hands to providers, with what built-in providers need beyond
 * it: the shared metadata HTTP client and the retry machinery. Tests build one with fast retry policies
 * and a recording sleeper. Internal, may change.
 */
public final class ProviderRuntime implements ProviderContext {
  private final MondooWifConfig config;
  private final Map<String, String> env;
  private final Clock clock;
  private final OkHttpClient metadataHttp;
  private final RetryPolicy retryPolicy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  private ProviderRuntime(Builder b) {
    this.config = b.config;
    this.env = Map.copyOf(b.env);
    this.clock = b.clock;
    this.metadataHttp = b.metadataHttp != null ? b.metadataHttp : HttpClients.metadata(b.config.requestTimeout());
    this.retryPolicy = b.retryPolicy;
    this.sleeper = b.sleeper;
    this.random = b.random;
  }

  public static Builder builder(MondooWifConfig config) {
    return new Builder(config);
  }

  /** The runtime behind a context, or a default one around a foreign context. */
  public static ProviderRuntime of(ProviderContext context) {
    if (context instanceof ProviderRuntime) {
      return (ProviderRuntime) context;
    }
    Map<String, String> env = new java.util.HashMap<>();
    for (String name : System.getenv().keySet()) {
      String v = context.env(name);
      if (v != null) {
        env.put(name, v);
      }
    }
    return builder(context.config()).env(env).clock(context.clock()).build();
  }

  @Override
  public MondooWifConfig config() {
    return config;
  }

  @Override
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** The whole environment map, for diagnostics. */
  public Map<String, String> environment() {
    return env;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  public OkHttpClient metadataHttp() {
    return metadataHttp;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public DoubleSupplier random() {
    return random;
  }

  /** A retrying call against a metadata endpoint, with this runtime's client, policy, sleeper and clock. */
  public MetadataCall metadataCall() {
    return new MetadataCall(metadataHttp, retryPolicy, sleeper, clock, random);
  }

  /** Builds a {@link ProviderRuntime}. */
  public static final class Builder {
    private final MondooWifConfig config;
    private Map<String, String> env = System.getenv();
    private Clock clock = Clock.systemUTC();
    private OkHttpClient metadataHttp;
    private RetryPolicy retryPolicy = RetryPolicy.METADATA;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(MondooWifConfig config) {
      this.config = config;
    }

    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder metadataHttp(OkHttpClient client) {
      this.metadataHttp = client;
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = policy;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    public ProviderRuntime build() {
      return new ProviderRuntime(this);
    }
  }
}
