package io.github.mondoowif.internal.jmx;

import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.refresh.CredentialStatus;
import io.github.mondoowif.internal.refresh.RefreshScheduler;
import io.github.mondoowif.internal.refresh.SharedScheduler;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Registers one {@link CredentialMXBean} per credential source as
 * {@code io.github.mondoowif:type=Credential,name=<name>}, safely and without cost to startup. Internal.
 *
 * <p>Creating the platform MBean server costs about 370 ms on this project's machines and initialises
 * {@code java.util.logging}'s LogManager, which must not happen in an agent's premain (it breaks
 * applications that install their own LogManager later, such as JBoss/WildFly). So:
 *
 * <ul>
 *   <li>registration never runs on the caller's thread, only on the shared refresh thread;
 *   <li>the MXBean is registered once something in the JVM has created an MBean server (an application
 *       server, {@code -Dcom.sun.management.jmxremote}, JConsole or {@code jcmd} attaching): that is checked
 *       cheaply now and every {@value #RECHECK_SECONDS} s while sources wait;
 *   <li>nothing here ever throws to the caller: without {@code java.management} (a jlink'd runtime), with
 *       a security manager that refuses, or with a broken server, the source simply has no MXBean;
 *   <li>names are made unique: a second source called {@code default} becomes {@code default-2}.
 * </ul>
 */
public final class JmxPublisher {
  public static final String DOMAIN = "io.github.mondoowif";
  static final long RECHECK_SECONDS = 30;
  private static final int MAX_SUFFIX = 1000;

  /** Finds the MBean server to register with, or {@code null} while none is in use. */
  @FunctionalInterface
  interface ServerLookup {
    MBeanServer find();
  }

  private static final class Shared {
    static final JmxPublisher INSTANCE = new JmxPublisher(SharedScheduler.get(), JmxPublisher::platformServerIfInUse);
  }

  private final RefreshScheduler scheduler;
  private final ServerLookup lookup;
  private final Object lock = new Object();
  private final List<Entry> pending = new ArrayList<>(); // guarded by lock
  private MBeanServer server; // guarded by lock
  private boolean recheckPlanned; // guarded by lock
  private boolean broken; // guarded by lock

  JmxPublisher(RefreshScheduler scheduler, ServerLookup lookup) {
    this.scheduler = scheduler;
    this.lookup = lookup;
  }

  /**
   * Publishes the status of one source under {@code name} (made safe and unique). Returns at once and
   * never throws. Call it through {@link StatusMBeans}: on a runtime without {@code java.management}, this
   * class itself cannot load.
   */
  public static Publication publish(String name, Supplier<CredentialStatus> status) {
    return Shared.INSTANCE.add(name, status);
  }

  Publication add(String name, Supplier<CredentialStatus> status) {
    Entry e = new Entry(safeName(name), new CredentialStatusBean(status));
    try {
      scheduler.schedule(() -> attach(e), 0);
    } catch (RuntimeException x) {
      Log.debug("JMX: could not schedule registration of " + e.name + ": " + x);
    }
    return e;
  }

  private void attach(Entry e) {
    synchronized (lock) {
      if (e.withdrawn || broken) {
        return;
      }
      if (server == null && !findServer()) {
        pending.add(e);
        planRecheck();
        return;
      }
      register(e);
    }
  }

  private void recheck() {
    synchronized (lock) {
      recheckPlanned = false;
      if (pending.isEmpty() || broken) {
        return;
      }
      if (server == null && !findServer()) {
        planRecheck();
        return;
      }
      List<Entry> all = new ArrayList<>(pending);
      pending.clear();
      for (Entry e : all) {
        register(e);
      }
    }
  }

  // Under lock. False while no server is in use; true when one was found.
  private boolean findServer() {
    try {
      server = lookup.find();
    } catch (RuntimeException | LinkageError x) {
      broken = true;
      pending.clear();
      Log.debug("JMX is unavailable here; Mondoo credential status is not published: " + x);
    }
    return server != null;
  }

  // Under lock.
  private void planRecheck() {
    if (!recheckPlanned) {
      recheckPlanned = true;
      scheduler.schedule(this::recheck, RECHECK_SECONDS * 1000);
    }
  }

  // Under lock, with a server.
  private void register(Entry e) {
    for (int i = 1; i <= MAX_SUFFIX && !e.withdrawn; i++) {
      String candidate = i == 1 ? e.name : e.name + "-" + i;
      try {
        ObjectName on = objectName(candidate);
        if (server.isRegistered(on)) {
          continue;
        }
        server.registerMBean(e.bean, on);
        e.registered = on;
        return;
      } catch (InstanceAlreadyExistsException x) {
        // Registered by another copy of this library meanwhile: try the next name.
      } catch (Exception | LinkageError x) {
        Log.debug("JMX: could not register the status of Mondoo credential " + e.name + ": " + x);
        return;
      }
    }
  }

  private void withdraw(Entry e) {
    synchronized (lock) {
      e.withdrawn = true;
      pending.remove(e);
      ObjectName on = e.registered;
      e.registered = null;
      if (on != null && server != null) {
        try {
          server.unregisterMBean(on);
        } catch (Exception | LinkageError x) {
          Log.debug("JMX: could not unregister " + on + ": " + x);
        }
      }
    }
  }

  static ObjectName objectName(String name) throws javax.management.MalformedObjectNameException {
    return new ObjectName(DOMAIN + ":type=Credential,name=" + name);
  }

  /** Letters, digits, dot, dash and underscore only, so the name never needs quoting. */
  static String safeName(String name) {
    StringBuilder sb = new StringBuilder();
    if (name != null) {
      for (int i = 0; i < name.length() && sb.length() < 64; i++) {
        char c = name.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '-' || c == '_';
        sb.append(ok ? c : '_');
      }
    }
    return sb.length() == 0 ? "unnamed" : sb.toString();
  }

  /**
   * The platform MBean server, but only once someone created an MBean server: creating it ourselves is
   * what must not happen (see the class comment). {@code findMBeanServer} is cheap and lists the platform
   * server once it exists.
   */
  static MBeanServer platformServerIfInUse() {
    return MBeanServerFactory.findMBeanServer(null).isEmpty() ? null : ManagementFactory.getPlatformMBeanServer();
  }

  private final class Entry implements Publication {
    final String name;
    final CredentialStatusBean bean;
    boolean withdrawn; // guarded by lock
    ObjectName registered; // guarded by lock

    Entry(String name, CredentialStatusBean bean) {
      this.name = name;
      this.bean = bean;
    }

    @Override
    public void withdraw() {
      JmxPublisher.this.withdraw(this);
    }

    @Override
    public String objectName() {
      synchronized (lock) {
        return registered == null ? null : registered.toString();
      }
    }
  }
}
