package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.CredentialExchange;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.internal.refresh.FakeScheduler;
import io.github.mondoowif.internal.refresh.RefreshPolicy;
import io.github.mondoowif.internal.refresh.RefreshingCredentialSource;
import io.github.mondoowif.internal.refresh.SubjectTokenCache;
import io.github.mondoowif.internal.refresh.TokenReusingExchanger;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.internal.azure.AppServiceProvider;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

/**
 * The production stack as {@code MondooCredentials} wires it (provider registry, {@link CredentialExchange},
 * subject-token reuse, {@link StsClient}, the refresh engine), with the production retry policies, but on
 * a {@link FakeClock}: timers run when the test moves time, and every retry wait is recorded and moves the
 * clock instead of sleeping. Exchanges run on the calling thread, or on one real thread when a test needs
 * a caller to wait with a bound.
 */
final class Stack implements AutoCloseable {
  final FakeClock clock;
  final Sleeps sleeps;
  final FakeScheduler scheduler;
  final MondooWifConfig config;
  final CredentialExchange exchange;
  final RefreshingCredentialSource source;
  private final ExecutorService executor;
  private final String name;

  /** Records each retry wait and lets that much fake time pass. */
  static final class Sleeps implements Sleeper {
    private final FakeClock clock;
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    Sleeps(FakeClock clock) {
      this.clock = clock;
    }

    @Override
    public void sleep(Duration d) {
      waits.add(d);
      synchronized (clock) {
        clock.advance(d);
      }
    }

    List<Duration> waits() {
      synchronized (waits) {
        return new ArrayList<>(waits);
      }
    }

    Duration total() {
      return waits().stream().reduce(Duration.ZERO, Duration::plus);
    }
  }

  private Stack(Builder b) throws ConfigException {
    this.clock = b.clock;
    this.name = b.name;
    this.sleeps = new Sleeps(clock);
    this.executor = b.async ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "robust-exchange");
      t.setDaemon(true);
      return t;
    }) : null;
    this.scheduler = executor != null ? FakeScheduler.on(clock, executor) : FakeScheduler.inline(clock);
    MondooWifConfig base = MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(b.sts.universe())
        .azureResource(Planted.RESOURCE)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
    this.config = b.config.apply(base.newBuilder()).build();
    ProviderRuntime runtime = ProviderRuntime.builder(config).env(b.env).clock(clock).sleeper(sleeps)
        .retryPolicy(b.metadataPolicy).random(b.random).build();
    StsClient sts = new StsClient(HttpClients.sts(config.requestTimeout()), sleeps, clock, b.random, b.stsAttempts,
        Duration.ofMillis(500), Duration.ofSeconds(4));
    this.exchange = new CredentialExchange(runtime, ProviderRegistry.of(b.providers), sts);
    this.source = RefreshingCredentialSource.builder(new TokenReusingExchanger(exchange, new SubjectTokenCache(clock)))
        .name(name)
        .clock(clock)
        .scheduler(scheduler)
        .random(b.random)
        .waitTimeout(b.waitTimeout)
        .providerName(exchange::providerName)
        .build();
  }

  static Builder builder(FakeClock clock, FakeSts sts) {
    return new Builder(clock, sts);
  }

  /** The env of an App Service host whose identity endpoint is {@code endpoint}. */
  static Map<String, String> appService(FakeEndpoint endpoint) {
    return Map.of("IDENTITY_ENDPOINT", endpoint.url(), "IDENTITY_HEADER", Planted.IDENTITY_HEADER);
  }

  MondooCredential get() throws MondooWifException {
    MondooCredential c = source.get();
    Witness.observe(c);
    return c;
  }

  /** What {@code get()} threw (observed for the secret check), or an assertion error if it answered. */
  Throwable failure() {
    Throwable t = catchThrowable(source::get);
    if (t == null) {
      throw new AssertionError("get() answered, a failure was expected");
    }
    Witness.observe(t);
    return t;
  }

  /** The engine's expired point of {@code c}: it must never be handed out from here on. */
  static long expiredAt(MondooCredential c) {
    return RefreshPolicy.expiredAt(c.obtainedAt().toEpochMilli(), c.expiresAt().toEpochMilli());
  }

  /** Moves fake time to the next planned attempt and runs it. */
  void runNextTimer() {
    scheduler.advanceTo(Math.max(scheduler.nextTimerAt(), clock.millis()));
  }

  @Override
  public void close() {
    Witness.observe(exchange.runtime().config());
    Witness.status(name, source::status);
    Witness.text(source.toString());
    source.close();
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  static final class Builder {
    private final FakeClock clock;
    private final FakeSts sts;
    private Map<String, String> env = Map.of();
    private List<CredentialProvider> providers = List.of(new AppServiceProvider());
    private UnaryOperator<MondooWifConfig.Builder> config = c -> c;
    private boolean async;
    private Duration waitTimeout = Duration.ofSeconds(5);
    private DoubleSupplier random = () -> 0.5;
    private RetryPolicy metadataPolicy = RetryPolicy.METADATA;
    private int stsAttempts = 3;
    private String name = "robust";

    private Builder(FakeClock clock, FakeSts sts) {
      this.clock = clock;
      this.sts = sts;
    }

    Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    Builder provider(CredentialProvider provider) {
      this.providers = List.of(provider);
      return this;
    }

    Builder config(UnaryOperator<MondooWifConfig.Builder> config) {
      this.config = config;
      return this;
    }

    /** Exchanges on a real thread, so that callers wait for them with the wait timeout as the bound. */
    Builder async() {
      this.async = true;
      return this;
    }

    Builder waitTimeout(Duration waitTimeout) {
      this.waitTimeout = waitTimeout;
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    Builder metadataPolicy(RetryPolicy policy) {
      this.metadataPolicy = policy;
      return this;
    }

    Builder stsAttempts(int attempts) {
      this.stsAttempts = attempts;
      return this;
    }

    Builder name(String name) {
      this.name = name;
      return this;
    }

    Stack build() throws ConfigException {
      return new Stack(this);
    }
  }
}
