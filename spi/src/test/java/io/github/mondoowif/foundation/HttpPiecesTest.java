package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.internal.http.Backoff;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.RetryAfter;
import io.github.mondoowif.internal.http.RetryPolicy;
import java.net.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The small pieces of internal.http that the exchange and the providers lean on. */
class HttpPiecesTest {

  @Test
  void backoffCeiling_doublesFromBaseUpToCap() {
    Duration base = Duration.ofSeconds(1);
    Duration cap = Duration.ofSeconds(8);

    assertThat(Backoff.ceiling(1, base, cap)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.ceiling(2, base, cap)).isEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.ceiling(4, base, cap)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Backoff.ceiling(5, base, cap)).isEqualTo(Duration.ofSeconds(8));
    assertThat(Backoff.ceiling(1000, base, cap)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void backoffFullJitter_scalesTheCeilingByTheRandomDraw() {
    assertThat(Backoff.fullJitter(3, Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.25))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.fullJitter(3, Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 0.0)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfter_secondsOrHttpDateOrNothing() {
    Instant now = Instant.parse("2015-10-21T07:28:00Z");

    assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("-1", now)).isNull();
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse(null, now)).isNull();
  }

  @Test
  void retryPolicy_transientStatuses_followTheAzureTable() {
    assertThat(List.of(404, 408, 429, 500, 503, 599)).allMatch(RetryPolicy::transientStatus);
    assertThat(List.of(200, 302, 400, 401, 403, 410)).noneMatch(RetryPolicy::transientStatus);
  }

  @Test
  void metadataClient_neverUsesAProxyNorFollowsRedirectsAndIsBounded() {
    OkHttpClient c = HttpClients.metadata(Duration.ofSeconds(10));

    assertThat(c.proxy()).isEqualTo(Proxy.NO_PROXY);
    assertThat(c.followRedirects()).isFalse();
    assertThat(c.followSslRedirects()).isFalse();
    assertThat(c.connectTimeoutMillis()).isEqualTo(1000);
    assertThat(c.callTimeoutMillis()).isEqualTo(10_000);
  }

  @Test
  void stsClient_usesTheApplicationProxySelectorButFollowsNoRedirects() {
    OkHttpClient c = HttpClients.sts(Duration.ofSeconds(2));

    assertThat(c.proxy()).isNull();
    assertThat(c.followRedirects()).isFalse();
    assertThat(c.connectTimeoutMillis()).isEqualTo(2000);
    assertThat(c.readTimeoutMillis()).isEqualTo(2000);
  }

  @Test
  void redirectHint_namesOnlyWhereTheRedirectPointed_andNothingForOtherStatuses() {
    HttpResult absolute = new HttpResult(302, okhttp3.Headers.of("Location", "http://evil.example:8080/t?token=abc"), "", 1);
    HttpResult relative = new HttpResult(307, okhttp3.Headers.of("Location", "/elsewhere"), "", 1);
    HttpResult none = new HttpResult(301, okhttp3.Headers.of(), "", 1);

    assertThat(absolute.redirectHint()).contains("redirect to http://evil.example:8080;", "never followed")
        .doesNotContain("token");
    assertThat(relative.redirectHint()).contains("redirect to a relative location");
    assertThat(none.redirectHint()).contains("no Location header");
    assertThat(new HttpResult(200, okhttp3.Headers.of(), "", 1).redirectHint()).isNull();
    assertThat(new HttpResult(404, okhttp3.Headers.of(), "", 1).redirectHint()).isNull();
  }
}
