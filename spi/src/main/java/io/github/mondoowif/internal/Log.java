package io.github.mondoowif.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The library's logger: {@link System.Logger} under the name {@code io.github.mondoowif}, looked up on
 * first use so that merely loading a class does not initialise a logging backend. Internal, may change.
 *
 * <p>Callers must pass only sanitised text: fingerprints, never secrets.
 */
public final class Log {
  private static final String NAME = "io.github.mondoowif";
  private static volatile Logger logger;

  private Log() {}

  public static Logger logger() {
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

  public static void debug(String message) {
    Logger l = logger();
    if (l.isLoggable(Level.DEBUG)) {
      l.log(Level.DEBUG, message);
    }
  }
}
