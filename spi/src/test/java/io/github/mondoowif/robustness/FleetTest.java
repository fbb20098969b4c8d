package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.internal.refresh.FakeClock;
import io.github.mondoowif.internal.refresh.FakeScheduler;
import io.github.mondoowif.internal.refresh.RefreshingCredentialSource;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet: 1000 sources (think 1000 JVMs) created at the same instant with hour-long credentials, on the
 * engine's production jitter (no random injected). Their proactive refreshes must not arrive together at
 * the STS or at a metadata endpoint.
 */
@ExtendWith(Witness.Extension.class)
class FleetTest {
  private static final int FLEET = 1000;
  private static final Duration LIFETIME = Duration.ofHours(1);

  @Test
  void thousandSourcesStartedTogether_refreshesSpreadOverASixthOfTheLifetime_noSecondGetsMoreThanTwoPercent()
      throws Exception {
    FakeClock clock = new FakeClock(Planted.T0);
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    String first = FakeSts.planted(new String(java.util.Base64.getDecoder().decode(
        FakeMondoo.base64Credential(Planted.T0.plus(LIFETIME)))));
    String second = FakeSts.planted(new String(java.util.Base64.getDecoder().decode(
        FakeMondoo.base64Credential(Planted.T0.plus(LIFETIME.multipliedBy(2))))));
    List<Long> refreshes = Collections.synchronizedList(new ArrayList<>());
    List<RefreshingCredentialSource> fleet = new ArrayList<>();
    for (int i = 0; i < FLEET; i++) {
      int[] calls = {0};
      fleet.add(RefreshingCredentialSource.builder(() -> {
        calls[0]++;
        if (calls[0] > 1) {
          refreshes.add(clock.millis());
        }
        return parse(calls[0] == 1 ? first : second, clock.instant());
      }).name("fleet-" + i).clock(clock).scheduler(scheduler).build());
    }

    for (RefreshingCredentialSource source : fleet) {
      source.start();
    }
    assertThat(fleet).allSatisfy(s -> assertThat(s.peek()).isNotNull());
    scheduler.advanceTo(Planted.T0.plus(LIFETIME).toEpochMilli());

    assertThat(refreshes).hasSize(FLEET);
    long min = Collections.min(refreshes);
    long max = Collections.max(refreshes);
    long t0 = Planted.T0.toEpochMilli();
    // Each stale point is uniform in [expiry - L/3, expiry - L/6] = [40 min, 50 min].
    assertThat(min).isGreaterThanOrEqualTo(t0 + LIFETIME.toMillis() * 2 / 3);
    assertThat(max).isLessThanOrEqualTo(t0 + LIFETIME.toMillis() * 5 / 6);
    assertThat(max - min).as("spread").isGreaterThanOrEqualTo(LIFETIME.toMillis() / 6 * 98 / 100);

    Map<Long, Integer> perSecond = new TreeMap<>();
    for (long r : refreshes) {
      perSecond.merge(r / 1000, 1, Integer::sum);
    }
    int busiest = Collections.max(perSecond.values());
    assertThat(busiest).as("refreshes in the busiest second of fake time").isLessThanOrEqualTo(FLEET * 2 / 100);
    Witness.text("busiest second: " + busiest + " of " + FLEET + "; spread " + Duration.ofMillis(max - min));
    for (RefreshingCredentialSource source : fleet) {
      source.close();
    }
  }

  private static MondooCredential parse(String base64, Instant now) {
    try {
      return MondooCredential.parse(base64, "fleet", now, LIFETIME);
    } catch (InvalidCredentialException e) {
      throw new AssertionError(e);
    }
  }
}
