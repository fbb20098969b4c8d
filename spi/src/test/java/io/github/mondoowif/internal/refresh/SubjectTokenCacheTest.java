package io.github.mondoowif.internal.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.spi.SubjectToken;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubjectTokenCacheTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final FakeClock clock = new FakeClock(T0);
  private final SubjectTokenCache cache = new SubjectTokenCache(clock);

  @Test
  void reusable_tokenWithHoursLeft_isReturnedForSameProviderAndResource() {
    SubjectToken token = SubjectToken.of("token-a", T0.plus(Duration.ofHours(24)));

    cache.offer("azure-imds", "api://mondoo", token);

    assertThat(cache.reusable("azure-imds", "api://mondoo")).isSameAs(token);
    assertThat(cache.reusable("azure-imds", "api://other")).isNull();
    assertThat(cache.reusable("azure-cloud-shell", "api://mondoo")).isNull();
  }

  @Test
  void reusable_atFiveMinutesBeforeExpiry_isNoLongerReused() {
    Instant exp = T0.plus(Duration.ofHours(1));
    cache.offer("azure-imds", "r", SubjectToken.of("token-a", exp));

    clock.setMillis(exp.minus(SubjectTokenCache.MIN_REMAINING).toEpochMilli() - 1);
    assertThat(cache.reusable("azure-imds", "r")).isNotNull();

    clock.setMillis(exp.minus(SubjectTokenCache.MIN_REMAINING).toEpochMilli());
    assertThat(cache.reusable("azure-imds", "r")).isNull();
  }

  @Test
  void offer_tokenWithLessThanFiveMinutesLeft_isNotKept() {
    cache.offer("azure-imds", "r", SubjectToken.of("token-a", T0.plus(Duration.ofMinutes(4))));

    assertThat(cache.reusable("azure-imds", "r")).isNull();
  }

  @Test
  void offer_tokenReadFromFile_isNeverKept() {
    cache.offer("token-file", "r", SubjectToken.of("token-a", T0.plus(Duration.ofHours(1))).notReusable());

    assertThat(cache.reusable("token-file", "r")).isNull();
  }

  @Test
  void offer_tokenWithoutExpiry_isNeverKept() {
    cache.offer("custom", "r", SubjectToken.of("token-a", null));

    assertThat(cache.reusable("custom", "r")).isNull();
  }

  @Test
  void invalidate_keptToken_isForgotten() {
    cache.offer("azure-imds", "r", SubjectToken.of("token-a", T0.plus(Duration.ofHours(1))));

    cache.invalidate("azure-imds", "r");

    assertThat(cache.reusable("azure-imds", "r")).isNull();
  }

  @Test
  void offer_newerToken_replacesOlder() {
    cache.offer("azure-imds", "r", SubjectToken.of("token-a", T0.plus(Duration.ofHours(1))));
    SubjectToken newer = SubjectToken.of("token-b", T0.plus(Duration.ofHours(2)));

    cache.offer("azure-imds", "r", newer);
    clock.setMillis(T0.plus(Duration.ofMinutes(90)).toEpochMilli());

    assertThat(cache.reusable("azure-imds", "r")).isSameAs(newer);
  }
}
