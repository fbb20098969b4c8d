package io.github.mondoowif.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The library's logger: {@link System.Logger} under the name {@code io.github.mondoowif}, looked up on
 * first use so that merely loading a class does not initialise a logging backend. Internal, may change.
 *
 * <p>Callers must pass only sanitised text: fingerprints, never secrets.
 *
 * <p>{@link #redirect(Logger)} replaces the backend for the whole library. The {@code -javaagent} uses it
 * because it runs before {@code main()}: looking up a {@code System.Logger} there would initialise
 * {@code java.util.logging}'s LogManager before the application had a chance to choose its own (a
 * {@code java.util.logging.manager} set in {@code main()} would then be ignored). The replacement receives
 * exactly the sanitised lines this class receives, nothing else, so the no-secrets guarantee carries over.
 */
public final class Log {
  private static final String NAME = "io.github.mondoowif";
  private static volatile Logger logger;
  private static volatile Logger redirected;
  private static volatile Logger stateChanges;

  private Log() {}

  /** The name the library logs under. */
  public static String name() {
    return NAME;
  }

  /**
   * Sends every line of this library to {@code target} instead of {@code System.getLogger}, until
   * {@link #useDefault()}. {@code target} decides what it prints through {@link Logger#isLoggable}.
   */
  public static void redirect(Logger target) {
    redirected = Objects.requireNonNull(target, "target");
  }

  /**
   * Sends the refresh engine's state-change lines (refresh failing, recovered, credential no longer served)
   * to {@code target} instead of the library's logger. The agent reports those states itself, from its
   * listener, in its own words: without this, each would be printed twice.
   */
  public static void redirectStateChanges(Logger target) {
    stateChanges = Objects.requireNonNull(target, "target");
  }

  /** Undoes {@link #redirect} and {@link #redirectStateChanges}. */
  public static void useDefault() {
    redirected = null;
    stateChanges = null;
  }

  /** A state change of a credential: one line when it starts failing, stops being served, or recovers. */
  public static void stateChange(Level level, String message) {
    Logger s = stateChanges;
    (s != null ? s : logger()).log(level, message);
  }

  public static Logger logger() {
    Logger r = redirected;
    if (r != null) {
      return r;
    }
    Logger l = logger;
    if (l == null) {
      l = System.getLogger(NAME);
      logger = l;
    }
    return l;
  }

  public static void info(String message) {
    logger().log(Level.INFO, message);
  }

  public static void warn(String message) {
    logger().log(Level.WARNING, message);
  }

  /** Whether {@link #debug} would print: check it before building a costly message. */
  public static boolean debugEnabled() {
    return logger().isLoggable(Level.DEBUG);
  }

  public static void debug(String message) {
    Logger l = logger();
    if (l.isLoggable(Level.DEBUG)) {
      l.log(Level.DEBUG, message);
    }
  }
}
