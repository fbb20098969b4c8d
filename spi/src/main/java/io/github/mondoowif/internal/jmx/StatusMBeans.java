package io.github.mondoowif.internal.jmx;

import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.refresh.CredentialStatus;
import io.github.mondoowif.internal.refresh.RefreshScheduler;
import io.github.mondoowif.internal.refresh.SharedScheduler;
import java.util.function.Supplier;

/**
 * The entry point for publishing a source's status over JMX, free of {@code javax.management} types: the
 * caller's thread only schedules a task. Loading {@link JmxPublisher} and the JMX classes it needs costs
 * tens of milliseconds and fails outright on a runtime without {@code java.management}; both happen on the
 * shared refresh thread, never on the thread that builds a {@code MondooCredentials} (an agent's premain,
 * say). Internal.
 */
public final class StatusMBeans {
  private StatusMBeans() {}

  /** Publishes {@code status} under {@code name} soon, off this thread. Never throws. */
  public static Publication publish(String name, Supplier<CredentialStatus> status) {
    return publish(name, status, SharedScheduler.get());
  }

  static Publication publish(String name, Supplier<CredentialStatus> status, RefreshScheduler scheduler) {
    Deferred d = new Deferred(name, status);
    try {
      scheduler.schedule(d::attach, 0);
    } catch (RuntimeException e) {
      Log.debug("JMX: could not schedule the status MXBean of " + name + ": " + e);
      return Publication.NONE;
    }
    return d;
  }

  private static final class Deferred implements Publication {
    private final String name;
    private final Supplier<CredentialStatus> status;
    private boolean withdrawn; // guarded by this
    private Publication inner; // guarded by this

    Deferred(String name, Supplier<CredentialStatus> status) {
      this.name = name;
      this.status = status;
    }

    synchronized void attach() {
      if (withdrawn) {
        return;
      }
      try {
        inner = JmxPublisher.publish(name, status);
      } catch (LinkageError | RuntimeException e) {
        // No java.management in this runtime, or it refused: the status is simply not published.
        Log.debug("JMX is unavailable; the status of Mondoo credential " + name + " is not published: " + e);
        inner = Publication.NONE;
      }
    }

    @Override
    public synchronized void withdraw() {
      withdrawn = true;
      if (inner != null) {
        inner.withdraw();
      }
    }

    @Override
    public synchronized String objectName() {
      return inner == null ? null : inner.objectName();
    }
  }
}
