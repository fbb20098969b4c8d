package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.time.Durations;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The refresh engine for one configuration: always a valid credential at once once the first exists,
 * refreshed in the background before it expires, one exchange at a time, calm under failure. Internal,
 * may change; {@link io.github.mondoowif.MondooCredentials} is its public face.
 *
 * <h2>States</h2>
 * Each credential is <em>fresh</em> until its jittered stale point (served without any lock),
 * <em>stale</em> until its expired point (served, and one background refresh starts), then
 * <em>expired</em> (never served: callers wait for the one refresh in flight, up to a timeout). The points
 * come from {@link RefreshPolicy} and are recomputed from every new credential.
 *
 * <h2>Why it is built this way</h2>
 * <ul>
 *   <li>Everything a reader needs is one immutable {@link State} behind one volatile field, with the stale
 *       and expired points precomputed as epoch milliseconds. The fresh path is a volatile read, one
 *       {@link Clock#millis()} and two {@code long} comparisons: no lock, no allocation.
 *   <li>Single flight: at most one attempt is in flight, an incomplete {@link CompletableFuture} that every
 *       waiter shares, so all see the same credential or the same failure. It is started under a lock
 *       that the fresh path never touches.
 *   <li>Wall-clock time ({@link Clock}), not a monotonic ticker: expiry is an absolute instant written in
 *       the certificate, and the hot path compares against it. The timers of the {@link RefreshScheduler}
 *       are only a prompt; if the wall clock jumps ahead, the first {@code get()} after it notices by
 *       itself. If it steps back more than {@link RefreshPolicy#CLOCK_STEP_BACK} behind the moment the
 *       credential was obtained, the points computed then are not trusted: the credential counts as stale
 *       and one refresh recomputes them under the corrected clock. Waiting times of callers, in contrast,
 *       are real time ({@link System#nanoTime()}).
 *   <li>After a failure the next attempt is planned with backoff, and until then neither the stale path
 *       nor expired callers start another one: an outage of Mondoo or of a metadata endpoint costs a
 *       bounded number of requests however many threads call {@code get()}. While the current credential
 *       is valid it keeps being served (static stability). The provider never changes.
 * </ul>
 *
 * <h2>Listeners</h2>
 * Called on the thread that finished the attempt, in the order they were added, one notification at a time
 * (a listener added concurrently with a refresh sees each credential exactly once). A listener that
 * throws is logged and the others still hear about it.
 */
public final class RefreshingCredentialSource implements AutoCloseable {
  private static final long NONE = Long.MIN_VALUE;

  private final String name;
  private final Exchanger exchanger;
  private final Clock clock;
  private final RefreshScheduler scheduler;
  private final DoubleSupplier random;
  private final Duration waitTimeout;
  private final long waitTimeoutNanos;
  private final Supplier<String> providerName;

  /** Guards starting and finishing attempts, the timer and closing. Never taken on the fresh path. */
  private final Object lock = new Object();
  /** Serialises notifications, so that listeners see credentials in order and a new listener sees each once. */
  private final Object notifyLock = new Object();
  private final List<CredentialListener> listeners = new CopyOnWriteArrayList<>();

  private volatile State state = State.EMPTY;
  /** The attempt in flight, or {@code null}. Written under {@link #lock}; read without it as a hint. */
  private volatile CompletableFuture<MondooCredential> inFlight;
  private volatile boolean closed;
  private RefreshScheduler.Cancellable timer = RefreshScheduler.Cancellable.NONE; // guarded by lock

  private RefreshingCredentialSource(Builder b) {
    this.name = b.name;
    this.exchanger = b.exchanger;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.random = b.random;
    this.waitTimeout = b.waitTimeout;
    this.waitTimeoutNanos = b.waitTimeout.toNanos();
    this.providerName = b.providerName;
  }

  public static Builder builder(Exchanger exchanger) {
    return new Builder(exchanger);
  }

  /** The name used in log lines, exceptions and JMX. */
  public String name() {
    return name;
  }

  /** A valid credential, waiting up to the configured wait timeout when none is. */
  public MondooCredential get() throws MondooWifException {
    State s = state;
    long now = clock.millis();
    if (now < s.staleAt && now >= s.trustedFrom) {
      return s.credential;
    }
    return slowPath(waitTimeoutNanos, waitTimeout);
  }

  /** A valid credential, waiting up to {@code maxWait} when none is. */
  public MondooCredential get(Duration maxWait) throws MondooWifException {
    Objects.requireNonNull(maxWait, "maxWait");
    State s = state;
    long now = clock.millis();
    if (now < s.staleAt && now >= s.trustedFrom) {
      return s.credential;
    }
    return slowPath(saturatedNanos(maxWait), maxWait);
  }

  /** The current credential if it may be served now, else {@code null}; never waits, never refreshes. */
  public MondooCredential peek() {
    State s = state;
    return clock.millis() < s.expiredAt ? s.credential : null;
  }

  /**
   * Starts an attempt in the background unless a fresh credential is held, one is in flight, or a retry
   * is already planned. Returns at once.
   */
  public void start() {
    State s = state;
    long now = clock.millis();
    if (!closed && (now >= s.staleAt || now < s.trustedFrom)) {
      refresh(false);
    }
  }

  /**
   * Adds a listener. If a credential may be served now, the listener hears about it at once on this
   * thread; afterwards it hears every new credential and every failed attempt.
   */
  public void addListener(CredentialListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (notifyLock) {
      listeners.add(listener);
      MondooCredential c = peek();
      if (c != null) {
        notifyCredential(listener, c);
      }
    }
  }

  public void removeListener(CredentialListener listener) {
    listeners.remove(listener);
  }

  /** What JMX and diagnostics show. Sanitised. */
  public CredentialStatus status() {
    State s = state;
    long now = clock.millis();
    CredentialStatus.Phase phase;
    if (closed) {
      phase = CredentialStatus.Phase.CLOSED;
    } else if (s.credential == null) {
      phase = CredentialStatus.Phase.NONE;
    } else if (now < s.staleAt && now >= s.trustedFrom) {
      phase = CredentialStatus.Phase.FRESH;
    } else if (now < s.expiredAt) {
      phase = CredentialStatus.Phase.STALE;
    } else {
      phase = CredentialStatus.Phase.EXPIRED;
    }
    MondooCredential c = s.credential;
    boolean refreshing = inFlight != null;
    return new CredentialStatus(
        name,
        c != null ? c.provider() : providerName.get(),
        phase,
        c != null ? c.expiresAt() : null,
        instant(s.lastSuccessAt),
        closed ? null : refreshing ? Instant.ofEpochMilli(now) : instant(s.nextRefreshAt),
        refreshing,
        s.failures,
        s.lastError == null ? null : sanitised(s.lastError),
        s.refreshCount,
        c != null ? c.fingerprint() : null);
  }

  /** Stops refreshing: cancels the timer, and later calls of {@link #get()} throw. Idempotent. */
  @Override
  public void close() {
    CompletableFuture<MondooCredential> f;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      timer.cancel();
      timer = RefreshScheduler.Cancellable.NONE;
      f = inFlight;
      inFlight = null;
      state = State.closed(state.refreshCount);
    }
    if (f != null) {
      // An exchange already on the wire finishes, but its result is dropped; waiters learn of the close.
      f.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "RefreshingCredentialSource{" + status() + "}";
  }

  // ---------------------------------------------------------------------------------------------------
  // Waiting

  private MondooCredential slowPath(long waitNanos, Duration wait) throws MondooWifException {
    long deadline = System.nanoTime() + waitNanos;
    while (true) {
      if (closed) {
        throw closedException();
      }
      State s = state;
      long now = clock.millis();
      if (now < s.staleAt && now >= s.trustedFrom) {
        return s.credential;
      }
      // Stale, or the clock stepped back behind when it was obtained: served while one refresh runs.
      if (now < s.expiredAt) {
        if (inFlight == null && now >= s.retryAt) {
          refresh(false);
        }
        return s.credential;
      }
      if (Thread.holdsLock(notifyLock)) {
        // A listener asking from inside a notification: waiting here would wait for an attempt whose
        // notification needs the lock this thread holds. It gets an answer at once and starts nothing.
        throw insideListener(s);
      }
      CompletableFuture<MondooCredential> f = attemptToWaitFor();
      if (f == null) {
        continue; // someone else's attempt finished meanwhile: look again
      }
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0) {
          throw new TimeoutException();
        }
        f.get(left, TimeUnit.NANOSECONDS);
        // The state was updated before the future completed: the loop serves from it.
      } catch (TimeoutException e) {
        throw timedOut(wait);
      } catch (ExecutionException e) {
        throw failed(e.getCause());
      } catch (CancellationException e) {
        // Closed while waiting: the loop reports it.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CredentialUnavailableException(
            "interrupted while waiting for the Mondoo credential '" + name + "'", state.lastError);
      }
    }
  }

  /**
   * The attempt an expired caller waits for: the one in flight, else a new one. {@code null} when a valid
   * credential arrived meanwhile.
   *
   * @throws CredentialUnavailableException during backoff after a failure: the caller gets the last
   *     failure at once rather than starting an attempt the backoff does not allow
   */
  private CompletableFuture<MondooCredential> attemptToWaitFor() throws MondooWifException {
    CompletableFuture<MondooCredential> f;
    synchronized (lock) {
      if (closed) {
        throw closedException();
      }
      f = inFlight;
      if (f != null) {
        return f;
      }
      State s = state;
      long now = clock.millis();
      if (now < s.expiredAt) {
        return null;
      }
      if (now < s.retryAt) {
        throw backingOff(s, now);
      }
      f = begin();
    }
    submit(f);
    return f;
  }

  // ---------------------------------------------------------------------------------------------------
  // Attempts

  /** Starts an attempt unless one is in flight or, unless the timer asks, the backoff forbids it. */
  private void refresh(boolean dueByTimer) {
    CompletableFuture<MondooCredential> f;
    synchronized (lock) {
      if (closed || inFlight != null) {
        return;
      }
      if (!dueByTimer && clock.millis() < state.retryAt) {
        return;
      }
      f = begin();
    }
    submit(f);
  }

  private void onTimer() {
    refresh(true);
  }

  // Called under lock.
  private CompletableFuture<MondooCredential> begin() {
    CompletableFuture<MondooCredential> f = new CompletableFuture<>();
    inFlight = f;
    timer.cancel();
    timer = RefreshScheduler.Cancellable.NONE;
    return f;
  }

  private void submit(CompletableFuture<MondooCredential> f) {
    try {
      scheduler.execute(() -> run(f));
    } catch (RuntimeException e) {
      fail(f, new MondooWifException("could not start the exchange for the Mondoo credential '" + name + "': " + e, e));
    }
  }

  private void run(CompletableFuture<MondooCredential> f) {
    MondooCredential c;
    try {
      c = exchanger.exchange();
    } catch (MondooWifException e) {
      fail(f, e);
      return;
    } catch (RuntimeException e) {
      fail(f, new MondooWifException("the exchange failed unexpectedly: " + e.getClass().getName(), e));
      return;
    } catch (Error e) {
      fail(f, new MondooWifException("the exchange failed unexpectedly: " + e.getClass().getName(), e));
      throw e;
    }
    if (c == null) {
      fail(f, new MondooWifException("the exchange returned no credential (a bug)"));
      return;
    }
    long now = clock.millis();
    long obtained = c.obtainedAt().toEpochMilli();
    long expires = c.expiresAt().toEpochMilli();
    if (RefreshPolicy.expiredAt(obtained, expires) <= now) {
      // Serving it is forbidden and refreshing at once would loop: treat it as the failure it is.
      fail(f, new MondooWifException("the STS returned a credential (sha256=" + c.fingerprint() + ") that expires at "
          + c.expiresAt() + ", too soon to be used (now " + Instant.ofEpochMilli(now)
          + "); check the host's clock and mondoo.wif.credential-lifetime"));
      return;
    }
    if (expires - obtained < RefreshPolicy.MIN_LIFETIME.toMillis()) {
      // Served, it would be refreshed at once and again and again: a flood of exchanges, not a credential.
      fail(f, new MondooWifException("the STS returned a credential (sha256=" + c.fingerprint() + ") valid for only "
          + Durations.format(Duration.ofMillis(Math.max(0, expires - obtained))) + " (until " + c.expiresAt()
          + "), less than the " + Durations.format(RefreshPolicy.MIN_LIFETIME) + " minimum; it is not used. Check the "
          + "identity binding's expiration in Mondoo, the host's clock and mondoo.wif.credential-lifetime"));
      return;
    }
    succeed(f, c, now, obtained, expires);
  }

  private void succeed(CompletableFuture<MondooCredential> f, MondooCredential c, long now, long obtained,
      long expires) {
    synchronized (notifyLock) {
      State prev;
      State next;
      synchronized (lock) {
        if (closed || inFlight != f) {
          return;
        }
        prev = state;
        long stale = RefreshPolicy.staleAt(obtained, expires, random);
        long expired = RefreshPolicy.expiredAt(obtained, expires);
        next = new State(c, stale, expired, 0, null, NONE, stale, now, prev.refreshCount + 1, true);
        state = next;
        inFlight = null;
        timer = scheduler.schedule(this::onTimer, stale - now);
      }
      f.complete(c);
      if (prev.failures > 0) {
        Log.stateChange(Level.INFO, "Mondoo credential '" + name + "' (" + c.provider() + "): refresh recovered after "
            + prev.failures + " consecutive failure" + (prev.failures == 1 ? "" : "s") + "; new credential "
            + describe(c));
      } else if (Log.debugEnabled()) {
        // Quiet while things work: the provider and expiry are in JMX, providerName() and DEBUG. Only built
        // when printed: formatting the expiry loads java.time.format, tens of ms on the first exchange.
        Log.debug("Mondoo credential '" + name + "' " + (prev.refreshCount == 0 ? "obtained" : "refreshed") + " via "
            + c.provider() + ": " + describe(c));
      }
      for (CredentialListener l : listeners) {
        notifyCredential(l, c);
      }
    }
  }

  private void fail(CompletableFuture<MondooCredential> f, MondooWifException error) {
    synchronized (notifyLock) {
      long now = clock.millis();
      State prev;
      int failures;
      boolean valid;
      long delay;
      synchronized (lock) {
        if (closed || inFlight != f) {
          return;
        }
        prev = state;
        failures = prev.failures == Integer.MAX_VALUE ? Integer.MAX_VALUE : prev.failures + 1;
        valid = prev.credential != null && now < prev.expiredAt;
        delay = RefreshPolicy.retryDelayMillis(failures, valid ? prev.expiredAt - now : 0, random);
        state = prev.failed(failures, error, now + delay, valid);
        inFlight = null;
        timer = scheduler.schedule(this::onTimer, delay);
      }
      f.completeExceptionally(error);
      if (failures == 1) {
        Log.stateChange(Level.WARNING, "Mondoo credential '" + name + "' (" + providerOf(prev) + "): refresh failing (1 consecutive "
            + "failure); " + (valid ? "still serving the current credential until " + Instant.ofEpochMilli(prev.expiredAt)
                : "no valid credential to serve") + "; retrying with backoff. Reason: " + sanitised(error));
      } else if (prev.servedAtLastFailure && !valid) {
        Log.stateChange(Level.WARNING, "Mondoo credential '" + name + "' (" + providerOf(prev) + "): the credential is no longer "
            + "served (" + failures + " consecutive failures); get() fails until a refresh succeeds. Reason: "
            + sanitised(error));
      }
      for (CredentialListener l : listeners) {
        notifyFailure(l, error, failures, valid);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Exceptions, notifications, text

  private CredentialUnavailableException failed(Throwable cause) {
    String why = cause == null ? "unknown" : cause.getMessage();
    return new CredentialUnavailableException(
        "No Mondoo credential for '" + name + "': the exchange failed: " + why, cause);
  }

  private CredentialUnavailableException timedOut(Duration wait) {
    State s = state;
    StringBuilder sb = new StringBuilder("No Mondoo credential for '").append(name).append("' within ")
        .append(wait).append(": the exchange");
    String provider = providerOf(s);
    if (provider != null) {
      sb.append(" via ").append(provider);
    }
    sb.append(" has not finished");
    if (s.lastError != null) {
      sb.append("; the previous attempt failed (").append(s.failures).append(" consecutive): ")
          .append(s.lastError.getMessage());
    }
    sb.append(". Raise mondoo.wif.wait-timeout if the identity source is slow");
    return new CredentialUnavailableException(sb.toString(), s.lastError);
  }

  private CredentialUnavailableException backingOff(State s, long now) {
    StringBuilder sb = new StringBuilder("No valid Mondoo credential for '").append(name).append("': ");
    if (s.credential != null) {
      sb.append("the last one stopped being served at ").append(Instant.ofEpochMilli(s.expiredAt)).append(" and ");
    }
    sb.append("refreshing has failed ").append(s.failures).append(" consecutive time")
        .append(s.failures == 1 ? "" : "s").append("; the next attempt is in ")
        .append(Duration.ofMillis(Math.max(0, s.retryAt - now))).append(". Last failure: ")
        .append(s.lastError == null ? "unknown" : s.lastError.getMessage());
    return new CredentialUnavailableException(sb.toString(), s.lastError);
  }

  private CredentialUnavailableException insideListener(State s) {
    return new CredentialUnavailableException("No valid Mondoo credential for '" + name + "' right now, and a "
        + "credential listener must not wait for one (it would block the refresh that notifies it)"
        + (s.lastError == null ? "" : ". Last failure: " + s.lastError.getMessage()), s.lastError);
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("the Mondoo credential source '" + name + "' is closed");
  }

  private void notifyCredential(CredentialListener l, MondooCredential c) {
    try {
      l.onCredential(c);
    } catch (RuntimeException e) {
      Log.warn(listenerThrew(l, e));
    }
  }

  private void notifyFailure(CredentialListener l, MondooWifException error, int failures, boolean valid) {
    try {
      l.onRefreshFailure(error, failures, valid);
    } catch (RuntimeException e) {
      Log.warn(listenerThrew(l, e));
    }
  }

  private String listenerThrew(CredentialListener l, RuntimeException e) {
    return "a listener of the Mondoo credential '" + name + "' (" + l.getClass().getName() + ") threw "
        + e.getClass().getName() + "; the other listeners are unaffected";
  }

  private String providerOf(State s) {
    return s.credential != null ? s.credential.provider() : providerName.get();
  }

  private static String describe(MondooCredential c) {
    return "mrn " + c.mrn() + ", expires " + c.expiresAt() + ", sha256=" + c.fingerprint();
  }

  /**
   * One line, bounded, token-shaped runs replaced by fingerprints: for logs and JMX. The library's own
   * messages are clean already; a third-party provider's may not be.
   */
  static String sanitised(Throwable error) {
    return Secrets.excerpt(error.getClass().getSimpleName() + ": " + error.getMessage(), 1000);
  }

  private static Instant instant(long millis) {
    return millis == NONE ? null : Instant.ofEpochMilli(millis);
  }

  private static long saturatedNanos(Duration d) {
    if (d.isNegative()) {
      return 0;
    }
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  /** Test hook: the current state's stale point, in epoch milliseconds ({@code MIN_VALUE} when none). */
  long staleAtMillis() {
    return state.staleAt;
  }

  /** Test hook: the current state's expired point, in epoch milliseconds. */
  long expiredAtMillis() {
    return state.expiredAt;
  }

  /** Test hook: when an attempt is next allowed after a failure. */
  long retryAtMillis() {
    return state.retryAt;
  }

  /**
   * Everything readers need, immutable. A state without a credential has its stale and expired points at
   * {@code Long.MIN_VALUE}, so the fresh path falls through to waiting without a null check.
   */
  static final class State {
    static final State EMPTY = new State(null, NONE, NONE, 0, null, NONE, NONE, NONE, 0, false);

    final MondooCredential credential;
    final long staleAt;
    final long expiredAt;
    /** Before this the clock has stepped back behind obtainedAt: the credential counts as stale. */
    final long trustedFrom;
    final int failures;
    final MondooWifException lastError;
    /** No attempt on demand before this: the backoff after a failure. */
    final long retryAt;
    /** The planned attempt, for status. */
    final long nextRefreshAt;
    final long lastSuccessAt;
    final long refreshCount;
    /** Whether a valid credential was served when the last attempt failed (to log its end once). */
    final boolean servedAtLastFailure;

    State(MondooCredential credential, long staleAt, long expiredAt, int failures, MondooWifException lastError,
        long retryAt, long nextRefreshAt, long lastSuccessAt, long refreshCount, boolean servedAtLastFailure) {
      this.credential = credential;
      this.staleAt = staleAt;
      this.trustedFrom = credential == null ? NONE
          : credential.obtainedAt().toEpochMilli() - RefreshPolicy.CLOCK_STEP_BACK.toMillis();
      this.expiredAt = expiredAt;
      this.failures = failures;
      this.lastError = lastError;
      this.retryAt = retryAt;
      this.nextRefreshAt = nextRefreshAt;
      this.lastSuccessAt = lastSuccessAt;
      this.refreshCount = refreshCount;
      this.servedAtLastFailure = servedAtLastFailure;
    }

    State failed(int failures, MondooWifException error, long retryAt, boolean served) {
      return new State(credential, staleAt, expiredAt, failures, error, retryAt, retryAt, lastSuccessAt,
          refreshCount, served);
    }

    static State closed(long refreshCount) {
      return new State(null, NONE, NONE, 0, null, NONE, NONE, NONE, refreshCount, false);
    }
  }

  /** Builds a {@link RefreshingCredentialSource}; only the exchanger is required. */
  public static final class Builder {
    private final Exchanger exchanger;
    private String name = "default";
    private Clock clock = Clock.systemUTC();
    private RefreshScheduler scheduler;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Duration waitTimeout = Duration.ofSeconds(30);
    private Supplier<String> providerName = () -> null;

    private Builder(Exchanger exchanger) {
      this.exchanger = Objects.requireNonNull(exchanger, "exchanger");
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where timers and exchanges run; the JVM-wide {@link SharedScheduler} by default. */
    public Builder scheduler(RefreshScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Uniform doubles in [0, 1) for the stale-point jitter and the backoff. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** How long {@link RefreshingCredentialSource#get()} waits when no valid credential is held. */
    public Builder waitTimeout(Duration waitTimeout) {
      Objects.requireNonNull(waitTimeout, "waitTimeout");
      if (waitTimeout.isNegative()) {
        throw new IllegalArgumentException("waitTimeout must not be negative but was " + waitTimeout);
      }
      this.waitTimeout = waitTimeout;
      return this;
    }

    /** The provider's name before the first credential names it, for messages. */
    public Builder providerName(Supplier<String> providerName) {
      this.providerName = Objects.requireNonNull(providerName, "providerName");
      return this;
    }

    public RefreshingCredentialSource build() {
      if (scheduler == null) {
        scheduler = SharedScheduler.get();
      }
      return new RefreshingCredentialSource(this);
    }
  }
}
