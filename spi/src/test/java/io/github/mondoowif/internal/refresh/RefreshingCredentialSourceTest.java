package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefreshingCredentialSourceTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private final FakeClock clock = new FakeClock(T0);

  private RefreshingCredentialSource source(ScriptedExchanger exchanger, FakeScheduler scheduler) {
    return RefreshingCredentialSource.builder(exchanger)
        .name("test")
        .clock(clock)
        .scheduler(scheduler)
        .random(() -> 0.5)
        .waitTimeout(Duration.ofSeconds(5))
        .providerName(() -> "fake-source")
        .build();
  }

  // ---------------------------------------------------------------------------------------------------
  // Fresh, stale, expired at L = 60 s, 1 h and 24 h

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void get_oneMilliBeforeStalePoint_servesCurrentWithoutExchange(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();
    MondooCredential first = source.peek();

    clock.setMillis(source.staleAtMillis() - 1);

    assertThat(source.get()).isSameAs(first);
    assertThat(scheduler.queuedExchanges()).isZero();
    assertThat(exchanger.calls()).isEqualTo(1);
  }

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void get_atStalePoint_servesCurrentAndStartsExactlyOneRefresh(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();
    MondooCredential first = source.peek();

    clock.setMillis(source.staleAtMillis());
    for (int i = 0; i < 50; i++) {
      assertThat(source.get()).isSameAs(first);
    }

    assertThat(scheduler.queuedExchanges()).isEqualTo(1);
    scheduler.runQueued();
    assertThat(source.get()).isNotSameAs(first);
    assertThat(exchanger.calls()).isEqualTo(2);
  }

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void get_oneMilliBeforeExpiredPoint_stillServesCurrent(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();
    MondooCredential first = source.peek();

    clock.setMillis(source.expiredAtMillis() - 1);

    assertThat(source.get()).isSameAs(first);
    assertThat(source.peek()).isSameAs(first);
  }

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void get_atExpiredPoint_waitsForNewCredentialAndNeverReturnsOld(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    RefreshingCredentialSource source = source(exchanger, FakeScheduler.inline(clock));
    MondooCredential first = source.get();

    clock.setMillis(source.expiredAtMillis());

    assertThat(source.peek()).isNull();
    MondooCredential second = source.get();
    assertThat(second).isNotSameAs(first);
    assertThat(second.expiresAt()).isAfter(first.expiresAt());
    assertThat(exchanger.calls()).isEqualTo(2);
  }

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void timer_atStalePoint_refreshesWithoutAnyCaller(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    long stale = source.staleAtMillis();

    scheduler.advanceTo(stale - 1);
    assertThat(exchanger.calls()).isEqualTo(1);

    scheduler.advanceTo(stale);
    assertThat(exchanger.calls()).isEqualTo(2);
    assertThat(source.peek()).isNotSameAs(first);
  }

  @ParameterizedTest(name = "L = {0} s")
  @ValueSource(longs = {60, 3600, 86400})
  void refresh_newCredential_recomputesPointsFromItsOwnLifetime(long lifetimeSeconds) throws Exception {
    Duration lifetime = Duration.ofSeconds(lifetimeSeconds);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, lifetime));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    exchanger.then(ScriptedExchanger.issuing(clock, Duration.ofSeconds(60)));

    scheduler.advanceTo(source.staleAtMillis());

    MondooCredential second = source.peek();
    long obtained = second.obtainedAt().toEpochMilli();
    long expires = second.expiresAt().toEpochMilli();
    assertThat(source.staleAtMillis()).isEqualTo(RefreshPolicy.staleAt(obtained, expires, () -> 0.5));
    assertThat(source.expiredAtMillis()).isEqualTo(expires - 6_000);
    assertThat(scheduler.nextTimerAt()).isEqualTo(source.staleAtMillis());
  }

  // ---------------------------------------------------------------------------------------------------
  // Jitter

  @Test
  void staleAt_thousandSourcesStartedTogether_spreadOverTheSixthOfLifetimeWindow() throws Exception {
    MondooCredential shared = TestCredentials.issued(T0, HOUR);
    long expires = shared.expiresAt().toEpochMilli();
    long sixth = HOUR.toMillis() / 6;
    List<Long> stalePoints = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      RefreshingCredentialSource s = RefreshingCredentialSource.builder(() -> shared)
          .clock(clock)
          .scheduler(FakeScheduler.inline(clock))
          .build(); // default random: ThreadLocalRandom
      s.get();
      stalePoints.add(s.staleAtMillis());
    }

    long min = stalePoints.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = stalePoints.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertThat(min).isGreaterThanOrEqualTo(expires - 2 * sixth);
    assertThat(max).isLessThanOrEqualTo(expires - sixth);
    assertThat(max - min).isGreaterThanOrEqualTo((long) (0.95 * sixth));
    long firstHalf = stalePoints.stream().filter(p -> p < expires - 1.5 * sixth).count();
    assertThat(firstHalf).isBetween(400L, 600L);
  }

  // ---------------------------------------------------------------------------------------------------
  // Failure, backoff, static stability, recovery

  @Test
  void refresh_failingWhileValid_boundsAttemptsAndKeepsServingOldCredential() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    exchanger.then(ScriptedExchanger.failing(new MondooWifException("STS unavailable")));
    long firstFailure = source.staleAtMillis();

    // Every second for the first minute, a caller asks; timers run as time passes.
    scheduler.advanceTo(firstFailure);
    for (int s = 0; s <= 60; s++) {
      scheduler.advanceTo(firstFailure + s * 1000L);
      assertThat(source.get()).isSameAs(first);
    }

    // Random 0.5: attempts at +0, +0.5, +1.5, +3.5, +7.5, +15.5, +31.5 s; the next is at +63.5 s.
    assertThat(exchanger.calls() - 1).isEqualTo(7);
  }

  @Test
  void refresh_failingUntilExpiry_neverReturnsExpiredCredentialAndStaysBounded() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    long expiredAt = source.expiredAtMillis();
    exchanger.then(ScriptedExchanger.failing(new MondooWifException("STS unavailable")));

    int served = 0;
    int refused = 0;
    for (long t = clock.millis(); t < expiredAt + HOUR.toMillis(); t += 1000) {
      scheduler.advanceTo(t);
      try {
        MondooCredential c = source.get();
        assertThat(c).isSameAs(first);
        assertThat(clock.millis()).isLessThan(expiredAt);
        served++;
      } catch (CredentialUnavailableException e) {
        assertThat(clock.millis()).isGreaterThanOrEqualTo(expiredAt);
        refused++;
      }
    }

    assertThat(served).isPositive();
    assertThat(refused).isPositive();
    // Three thousand callers over the stale window and an hour past expiry, yet the attempts are few:
    // the 14-minute stale window takes about 55 (the cap shrinks to remaining/4 towards the end), the
    // hour after expiry 240 (every 15 s: half the 30 s cap).
    assertThat(exchanger.calls() - 1).isBetween(250, 320);
  }

  @Test
  void get_expiredDuringBackoff_throwsAtOnceWithLastFailureAsCauseAndStartsNothing() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    MondooWifException outage = new MondooWifException("Mondoo's STS at https://sts.example answered HTTP 503");
    exchanger.then(ScriptedExchanger.failing(outage));
    scheduler.advanceTo(source.expiredAtMillis() + 1);
    int calls = exchanger.calls();

    for (int i = 0; i < 100; i++) {
      Throwable thrown = catchThrowable(source::get);
      assertThat(thrown).isInstanceOf(CredentialUnavailableException.class).hasCause(outage);
      assertThat(thrown.getCause()).isSameAs(outage);
      assertThat(thrown.getMessage()).contains("'test'", "HTTP 503", "next attempt");
    }
    assertThat(exchanger.calls()).isEqualTo(calls);
  }

  @Test
  void refresh_outageWithoutAnyCredential_retriesWithThirtySecondCap() throws Exception {
    MondooWifException outage = new MondooWifException("IMDS unavailable");
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.failing(outage));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);

    assertThatThrownBy(source::get).isInstanceOf(CredentialUnavailableException.class).hasCause(outage);
    scheduler.advance(Duration.ofMinutes(10));

    // Random 0.5: 0.5, 1, 2, 4, 8, then 15 s apart: 5 attempts in the first 15.5 s, then 38 more.
    assertThat(exchanger.calls()).isEqualTo(1 + 5 + 38);
    assertThat(scheduler.nextTimerAt() - clock.millis()).isLessThanOrEqualTo(15_000);
  }

  @Test
  void refresh_recoversAfterFailures_servesNewCredentialAndResetsBackoff() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    exchanger.then(ScriptedExchanger.failing(new MondooWifException("STS unavailable")));
    scheduler.advanceTo(source.staleAtMillis() + 20_000);
    assertThat(source.status().consecutiveFailures).isEqualTo(6);

    exchanger.then(ScriptedExchanger.issuing(clock, HOUR));
    scheduler.advanceTo(scheduler.nextTimerAt());

    MondooCredential second = source.get();
    assertThat(second).isNotSameAs(first);
    CredentialStatus status = source.status();
    assertThat(status.consecutiveFailures).isZero();
    assertThat(status.lastError).isNull();
    assertThat(status.refreshCount).isEqualTo(2);
    assertThat(source.retryAtMillis()).isEqualTo(Long.MIN_VALUE);
    assertThat(scheduler.nextTimerAt()).isEqualTo(source.staleAtMillis());
  }

  @Test
  void log_outageAndRecovery_oneWarningWhenFailingStartsAndOneInfoOnRecovery() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    try (LogCapture log = new LogCapture()) {
      exchanger.then(ScriptedExchanger.failing(new MondooWifException("Mondoo's STS answered HTTP 503")));
      scheduler.advanceTo(source.staleAtMillis() + 120_000);
      exchanger.then(ScriptedExchanger.issuing(clock, HOUR));
      scheduler.advanceTo(scheduler.nextTimerAt());

      assertThat(log.messages(Level.WARNING)).hasSize(1);
      assertThat(log.messages(Level.WARNING).get(0))
          .contains("'test'", "fake-source", "1 consecutive failure", "HTTP 503", "still serving");
      assertThat(log.messages(Level.INFO)).hasSize(1);
      assertThat(log.messages(Level.INFO).get(0)).contains("recovered after 8 consecutive failures");
    }
  }

  @Test
  void log_outageOutlastsCredential_secondWarningWhenItStopsBeingServed() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    try (LogCapture log = new LogCapture()) {
      exchanger.then(ScriptedExchanger.failing(new MondooWifException("STS unavailable")));
      scheduler.advanceTo(source.expiredAtMillis() + Duration.ofMinutes(30).toMillis());

      assertThat(log.messages(Level.WARNING)).hasSize(2);
      assertThat(log.messages(Level.WARNING).get(1)).contains("no longer served");
      assertThat(log.messages(Level.INFO)).isEmpty();
    }
  }

  @Test
  void listener_failedAttempts_hearConsecutiveCountAndWhetherStillValid() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, Duration.ofSeconds(60)));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    long expiredAt = source.expiredAtMillis();
    List<Integer> counts = new CopyOnWriteArrayList<>();
    List<Boolean> validFlags = new CopyOnWriteArrayList<>();
    MondooWifException outage = new MondooWifException("down");
    source.addListener(new CredentialListener() {
      @Override
      public void onCredential(MondooCredential credential) {}

      @Override
      public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {
        assertThat(error).isSameAs(outage);
        assertThat(stillValid).isEqualTo(clock.millis() < expiredAt);
        counts.add(consecutiveFailures);
        validFlags.add(stillValid);
      }
    });
    exchanger.then(ScriptedExchanger.failing(outage));

    scheduler.advanceTo(expiredAt + 20_000);

    assertThat(counts).hasSize(exchanger.calls() - 1);
    for (int i = 0; i < counts.size(); i++) {
      assertThat(counts.get(i)).isEqualTo(i + 1);
    }
    assertThat(validFlags).contains(true, false);
    // Past the expired point the cap is 30 s: at most two attempts in the 20 s after it.
    assertThat(validFlags.stream().filter(v -> !v).count()).isBetween(1L, 2L);
  }

  // ---------------------------------------------------------------------------------------------------
  // Single flight, waiting

  @Test
  void get_exchangeOutlastsWait_throwsUnavailableNamingWaitAndStartsNoSecond() {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock); // the exchange never runs
    RefreshingCredentialSource source = source(exchanger, scheduler);

    long started = System.nanoTime();
    assertThatThrownBy(() -> source.get(Duration.ofMillis(50)))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("within PT0.05S")
        .hasMessageContaining("fake-source");
    assertThatThrownBy(() -> source.get(Duration.ofMillis(50))).isInstanceOf(CredentialUnavailableException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(scheduler.queuedExchanges()).isEqualTo(1);
  }

  @Test
  void get_exchangeFails_callerGetsUnavailableWithFailureAsCause() {
    ExchangeException refused = ExchangeException.builder().status(403).build("Mondoo's STS refused: HTTP 403", null);
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.failing(refused));
    RefreshingCredentialSource source = source(exchanger, FakeScheduler.inline(clock));

    Throwable thrown = catchThrowable(source::get);

    assertThat(thrown).isInstanceOf(CredentialUnavailableException.class);
    assertThat(thrown.getCause()).isSameAs(refused);
    assertThat(thrown.getMessage()).contains("'test'", "HTTP 403");
  }

  @Test
  void run_exchangeThrowsRuntimeException_becomesFailureNotCrash() {
    ScriptedExchanger exchanger = new ScriptedExchanger(() -> {
      throw new IllegalStateException("bug");
    });
    RefreshingCredentialSource source = source(exchanger, FakeScheduler.inline(clock));

    Throwable thrown = catchThrowable(source::get);

    assertThat(thrown).isInstanceOf(CredentialUnavailableException.class);
    assertThat(thrown.getCause()).isInstanceOf(MondooWifException.class).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(source.status().consecutiveFailures).isEqualTo(1);
  }

  @Test
  void run_credentialAlreadyPastExpiredPoint_isAFailureNotAnEndlessLoop() {
    // The exchange took longer than the credential's whole lifetime (a wildly wrong clock, say).
    ScriptedExchanger exchanger = new ScriptedExchanger(() -> {
      MondooCredential c = TestCredentials.issued(clock.instant(), Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(20));
      return c;
    });
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);

    assertThatThrownBy(source::get).isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("too soon to be used");
    assertThat(exchanger.calls()).isEqualTo(1);
    assertThat(scheduler.nextTimerAt()).isGreaterThan(clock.millis() - 1);
  }

  @Test
  void run_credentialShorterThanMinimumLifetime_isAFailureAndBackedOffNotAStorm() {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, Duration.ofSeconds(1)));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);

    assertThatThrownBy(source::get).isInstanceOf(CredentialUnavailableException.class)
        .hasMessageContaining("valid for only 1s").hasMessageContaining("less than the 10s minimum");
    for (int i = 0; i < 600; i++) {
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(source.peek()).isNull();
    }

    // Ten minutes with the 30 s backoff cap (15 s at random 0.5), not one exchange per second.
    assertThat(exchanger.calls()).isBetween(40, 50);
  }

  @Test
  void run_credentialOfExactlyTheMinimumLifetime_isServed() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, RefreshPolicy.MIN_LIFETIME));
    RefreshingCredentialSource source = source(exchanger, FakeScheduler.inline(clock));

    assertThat(source.get().lifetime()).isEqualTo(RefreshPolicy.MIN_LIFETIME);
  }

  @Test
  void get_clockSteppedBackBehindObtainedAt_servesCurrentAndRefreshesOnce() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();
    MondooCredential first = source.peek();

    clock.setMillis(T0.toEpochMilli() - RefreshPolicy.CLOCK_STEP_BACK.toMillis() - 1);

    assertThat(source.get()).isSameAs(first);
    assertThat(source.get()).isSameAs(first);
    assertThat(source.status().phase).isEqualTo(CredentialStatus.Phase.STALE);
    assertThat(scheduler.runQueued()).isEqualTo(1);
    assertThat(source.get()).isNotSameAs(first);
    assertThat(source.get().obtainedAt()).isEqualTo(clock.instant());
    assertThat(exchanger.calls()).isEqualTo(2);
  }

  @Test
  void get_clockSteppedBackWithinTolerance_staysFresh() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();

    clock.setMillis(T0.toEpochMilli() - RefreshPolicy.CLOCK_STEP_BACK.toMillis());

    assertThat(source.get()).isSameAs(source.peek());
    assertThat(scheduler.queuedExchanges()).isZero();
    assertThat(source.status().phase).isEqualTo(CredentialStatus.Phase.FRESH);
  }

  @Test
  void start_coldSource_queuesOneExchangeAndReturnsAtOnce() {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);

    source.start();
    source.start();

    assertThat(exchanger.calls()).isZero();
    assertThat(scheduler.queuedExchanges()).isEqualTo(1);
    scheduler.runQueued();
    assertThat(source.peek()).isNotNull();
  }

  // ---------------------------------------------------------------------------------------------------
  // close()

  @Test
  void close_cancelsScheduleAndStopsAllFurtherExchanges() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.get();
    assertThat(scheduler.pendingTimers()).isEqualTo(1);

    source.close();
    scheduler.advance(Duration.ofHours(48));
    source.start();

    assertThat(scheduler.pendingTimers()).isZero();
    assertThat(exchanger.calls()).isEqualTo(1);
    assertThat(source.peek()).isNull();
    assertThatThrownBy(source::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(source.status().phase).isEqualTo(CredentialStatus.Phase.CLOSED);
  }

  @Test
  void close_duringBackoff_stopsRetries() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.failing(new MondooWifException("down")));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    assertThat(scheduler.pendingTimers()).isEqualTo(1);

    source.close();
    scheduler.advance(Duration.ofHours(1));

    assertThat(exchanger.calls()).isEqualTo(1);
  }

  @Test
  void close_whileExchangeInFlight_dropsResultAndNotifiesNoOne() {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    List<MondooCredential> heard = new CopyOnWriteArrayList<>();
    source.addListener(heard::add);
    source.start();

    source.close();
    scheduler.runQueued();

    assertThat(exchanger.calls()).isEqualTo(1);
    assertThat(heard).isEmpty();
    assertThat(source.peek()).isNull();
    assertThat(scheduler.pendingTimers()).isZero();
  }

  // ---------------------------------------------------------------------------------------------------
  // Listeners

  @Test
  void listeners_newCredentials_heardInOrderAddedDespiteOneThrowing() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    List<String> heard = new CopyOnWriteArrayList<>();
    source.addListener(c -> heard.add("a"));
    source.addListener(c -> {
      heard.add("b");
      throw new IllegalStateException("listener bug");
    });
    source.addListener(c -> heard.add("c"));

    try (LogCapture log = new LogCapture()) {
      source.get();
      scheduler.advanceTo(source.staleAtMillis());

      assertThat(heard).containsExactly("a", "b", "c", "a", "b", "c");
      assertThat(log.messages(Level.WARNING)).hasSize(2).allMatch(m -> m.contains("listener") && m.contains("unaffected"));
    }
  }

  @Test
  void addListener_credentialHeld_deliversItAtOnceThenEveryNewOne() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    List<MondooCredential> heard = new CopyOnWriteArrayList<>();

    source.addListener(heard::add);
    assertThat(heard).containsExactly(first);

    scheduler.advanceTo(source.staleAtMillis());
    assertThat(heard).hasSize(2);
    assertThat(heard.get(1)).isSameAs(source.peek());
  }

  @Test
  void addListener_onlyExpiredCredentialHeld_deliversNothingYet() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.queued(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    source.start();
    scheduler.runQueued();
    clock.setMillis(source.expiredAtMillis());
    List<MondooCredential> heard = new CopyOnWriteArrayList<>();

    source.addListener(heard::add);

    assertThat(heard).isEmpty();
  }

  @Test
  void removeListener_afterRemoval_hearsNothingMore() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    List<MondooCredential> heard = new CopyOnWriteArrayList<>();
    CredentialListener listener = heard::add;
    source.addListener(listener);
    source.get();

    source.removeListener(listener);
    scheduler.advanceTo(source.staleAtMillis());

    assertThat(heard).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------------
  // Status and the hot path

  @Test
  void status_afterFailure_reportsPlannedRetryAndSanitisedError() throws Exception {
    ScriptedExchanger exchanger = new ScriptedExchanger(ScriptedExchanger.issuing(clock, HOUR));
    FakeScheduler scheduler = FakeScheduler.inline(clock);
    RefreshingCredentialSource source = source(exchanger, scheduler);
    MondooCredential first = source.get();
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtc3ViamVjdCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    exchanger.then(ScriptedExchanger.failing(new MondooWifException("refused; the server echoed " + jwt)));
    scheduler.advanceTo(source.staleAtMillis());

    CredentialStatus status = source.status();

    assertThat(status.phase).isEqualTo(CredentialStatus.Phase.STALE);
    assertThat(status.provider).isEqualTo("fake-source");
    assertThat(status.expiresAt).isEqualTo(first.expiresAt());
    assertThat(status.lastSuccessfulRefresh).isEqualTo(T0);
    assertThat(status.nextPlannedRefresh).isEqualTo(Instant.ofEpochMilli(clock.millis() + 500));
    assertThat(status.consecutiveFailures).isEqualTo(1);
    assertThat(status.refreshCount).isEqualTo(1);
    assertThat(status.fingerprint).isEqualTo(first.fingerprint());
    assertThat(status.lastError).contains("MondooWifException", "refused").doesNotContain(jwt);
    assertThat(status.toString()).doesNotContain(first.base64Config()).doesNotContain(jwt);
  }

  @Test
  void get_freshCredential_allocatesNothing() throws Exception {
    RefreshingCredentialSource source =
        RefreshingCredentialSource.builder(() -> TestCredentials.issued(Instant.now(), HOUR))
            .clock(Clock.systemUTC())
            .scheduler(FakeScheduler.inline(clock))
            .build();
    MondooCredential first = source.get();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) {
      source.get();
    }

    long before = threads.getThreadAllocatedBytes(thread);
    MondooCredential last = null;
    for (int i = 0; i < 100_000; i++) {
      last = source.get();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(last).isSameAs(first);
    // Even one 16-byte object per call would be 1.6 MB.
    assertThat(allocated).isLessThan(16_000);
  }
}
