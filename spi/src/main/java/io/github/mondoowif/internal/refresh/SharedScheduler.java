package io.github.mondoowif.internal.refresh;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM-wide threads of the refresh engine, created on first use and shared by every configuration.
 * Internal, may change.
 *
 * <ul>
 *   <li>One timer thread, {@value #TIMER_THREAD}: it only wakes up and hands work over, so thousands of
 *       sources cost one thread, and a timer never waits behind a slow network call.
 *   <li>A small pool for the exchanges themselves, {@value #EXCHANGE_THREAD_PREFIX}N, at most
 *       {@value #MAX_EXCHANGE_THREADS} threads that end after {@value #IDLE_SECONDS} s idle. An exchange
 *       may block for a while (a metadata endpoint retrying, the STS timing out); running it on the timer
 *       thread would delay every other configuration's refresh behind it. The bound keeps a JVM with many
 *       configurations from opening many connections at once; further exchanges queue. Exchanges are
 *       bounded by their own timeouts, so the queue always drains.
 * </ul>
 *
 * <p>All threads are daemons: a pending refresh never keeps the JVM alive. Their context class loader is
 * this library's, so they never pin an application's class loader (redeploys in app servers).
 */
public final class SharedScheduler implements RefreshScheduler {
  public static final String TIMER_THREAD = "mondoo-wif-refresh";
  public static final String EXCHANGE_THREAD_PREFIX = "mondoo-wif-exchange-";
  static final int MAX_EXCHANGE_THREADS = 4;
  static final int IDLE_SECONDS = 30;

  private static final SharedScheduler INSTANCE = new SharedScheduler();

  private SharedScheduler() {}

  public static SharedScheduler get() {
    return INSTANCE;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    ScheduledFuture<?> f = Threads.TIMER.schedule(guard(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void execute(Runnable exchange) {
    Threads.EXCHANGES.execute(guard(exchange));
  }

  /** A task that throws must not kill the shared thread or silently cancel anything else. */
  private static Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        io.github.mondoowif.internal.Log.warn(
            "a Mondoo credential refresh task failed unexpectedly: " + e.getClass().getName() + " (a bug)");
      }
    };
  }

  /** Holder: the threads exist only once something is scheduled. */
  private static final class Threads {
    static final ScheduledThreadPoolExecutor TIMER;
    static final ThreadPoolExecutor EXCHANGES;

    static {
      ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory(TIMER_THREAD, false));
      // Cancelled timers (close(), a refresh that came early) leave the queue at once instead of at their
      // due time, which for a 24 h credential would be hours later.
      timer.setRemoveOnCancelPolicy(true);
      timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
      timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      TIMER = timer;

      ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_EXCHANGE_THREADS, MAX_EXCHANGE_THREADS, IDLE_SECONDS,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory(EXCHANGE_THREAD_PREFIX, true));
      pool.allowCoreThreadTimeOut(true);
      EXCHANGES = pool;
    }

    private static ThreadFactory factory(String name, boolean numbered) {
      AtomicInteger n = new AtomicInteger();
      ClassLoader own = SharedScheduler.class.getClassLoader();
      return r -> {
        Thread t = new Thread(r, numbered ? name + n.incrementAndGet() : name);
        t.setDaemon(true);
        t.setContextClassLoader(own);
        return t;
      };
    }
  }
}
