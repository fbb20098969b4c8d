package io.github.mondoowif.providers;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Shared set-up for the provider tests: a fixed clock, a fast retry policy, a recording sleeper, logs. */
final class ProviderTesting {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String RESOURCE = "api://mondoo-wif";
  /** Three attempts, no waiting; 410 is not waited for. */
  static final RetryPolicy FAST = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
      Duration.ZERO);

  private ProviderTesting() {}

  static MondooWifConfig config() {
    return config(b -> b);
  }

  static MondooWifConfig config(UnaryOperator<MondooWifConfig.Builder> more) {
    try {
      MondooWifConfig base = MondooWifConfig.builder()
          .audience(FakeMondoo.SPACE)
          .azureResource(RESOURCE)
          .requestTimeout(Duration.ofSeconds(5))
          .build();
      return more.apply(base.newBuilder()).build();
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  static ProviderRuntime runtime(Map<String, String> env) {
    return runtime(config(), env);
  }

  static ProviderRuntime runtime(MondooWifConfig config, Map<String, String> env) {
    return runtime(config, env, new RecordingSleeper());
  }

  static ProviderRuntime runtime(MondooWifConfig config, Map<String, String> env, Sleeper sleeper) {
    return ProviderRuntime.builder(config).env(env).clock(CLOCK).retryPolicy(FAST).sleeper(sleeper)
        .random(() -> 0.5).build();
  }

  /** An Azure managed-identity token for the test resource, valid for a day. */
  static String azureToken() {
    return FakeMondoo.azureToken(RESOURCE, NOW.plusSeconds(86400));
  }

  /** A JWT with the given iss/sub/aud that expires at {@code exp}. */
  static String jwt(String iss, String sub, String aud, Instant exp) {
    return FakeMondoo.jwt(Map.<String, Object>of("iss", iss, "sub", sub, "aud", aud, "iat", exp.getEpochSecond() - 3600,
        "exp", exp.getEpochSecond()));
  }

  /** A form body ({@code a=b&c=d}) decoded into a map. */
  static Map<String, String> form(String body) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Records waits instead of waiting. */
  static final class RecordingSleeper implements Sleeper {
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }
  }

}
