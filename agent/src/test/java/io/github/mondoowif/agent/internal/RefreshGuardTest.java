package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshGuardTest {
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final List<String> heard = new ArrayList<>();
  private final CredentialListener outputs = new CredentialListener() {
    @Override
    public void onCredential(MondooCredential credential) {
      heard.add("credential " + credential.fingerprint());
    }

    @Override
    public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {
      heard.add("failure " + consecutiveFailures + " " + stillValid + " " + error.getMessage());
    }
  };
  private RefreshGuard guard;

  @AfterEach
  void close() {
    if (guard != null) {
      guard.close();
    }
  }

  private MondooCredential credential(Duration lifetime) throws Exception {
    return MondooCredential.parse(FakeMondoo.base64Credential(now.plus(lifetime)), "test", now, Duration.ofHours(1));
  }

  private RefreshGuard guard(RefreshGuard.Engine engine, Instant at) {
    guard = new RefreshGuard(engine, outputs, Clock.fixed(at, ZoneOffset.UTC), () -> 0.5, Duration.ofSeconds(5));
    return guard;
  }

  @Test
  void guardPoint_oneHourCredential_is45sBeforeExpiry() throws Exception {
    MondooCredential c = credential(Duration.ofHours(1));

    assertThat(RefreshGuard.guardPoint(c)).isEqualTo(c.expiresAt().minusSeconds(45));
  }

  @Test
  void guardPoint_shortCredential_isThreeQuartersOfATenthBeforeExpiry() throws Exception {
    MondooCredential c = credential(Duration.ofSeconds(16));

    assertThat(RefreshGuard.guardPoint(c)).isEqualTo(c.expiresAt().minusMillis(1200));
  }

  @Test
  void check_atTheGuardPointEngineHasANewCredential_outputsGetIt() throws Exception {
    MondooCredential old = credential(Duration.ofSeconds(100));
    MondooCredential fresh = credential(Duration.ofSeconds(200));
    RefreshGuard g = guard(maxWait -> fresh, RefreshGuard.guardPoint(old));
    g.onCredential(old);

    g.check();

    assertThat(heard).containsExactly("credential " + fresh.fingerprint());
  }

  @Test
  void check_engineFails_outputsHearTheFailureWithCountAndValidity() throws Exception {
    MondooCredential old = credential(Duration.ofSeconds(100));
    RefreshGuard g = guard(maxWait -> {
      throw new MondooWifException("STS answered HTTP 503");
    }, RefreshGuard.guardPoint(old));
    g.onCredential(old);

    g.check();
    g.check();

    assertThat(heard).containsExactly("failure 1 true STS answered HTTP 503", "failure 2 true STS answered HTTP 503");
  }

  @Test
  void check_beforeTheGuardPoint_doesNotCallTheEngine() throws Exception {
    MondooCredential old = credential(Duration.ofSeconds(100));
    List<Duration> calls = new ArrayList<>();
    RefreshGuard g = guard(maxWait -> {
      calls.add(maxWait);
      return old;
    }, now);
    g.onCredential(old);

    g.check();

    assertThat(calls).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void check_noCredentialYet_asksTheEngineWithItsMaxWait() throws Exception {
    MondooCredential fresh = credential(Duration.ofSeconds(100));
    List<Duration> calls = new ArrayList<>();
    RefreshGuard g = guard(maxWait -> {
      calls.add(maxWait);
      return fresh;
    }, now);

    g.check();

    assertThat(calls).containsExactly(Duration.ofSeconds(5));
    assertThat(heard).containsExactly("credential " + fresh.fingerprint());
  }
}
