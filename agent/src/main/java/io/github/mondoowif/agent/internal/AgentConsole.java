package io.github.mondoowif.agent.internal;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * The agent's only output channel: one line per state change on stderr, prefixed
 * {@value #PREFIX}; with {@code mondoo.wif.debug=true} also a line per step. Also stands in for the
 * library's {@link System.Logger} (see {@code Log.redirect}), so nothing initialises
 * {@code java.util.logging} before {@code main()}. Internal.
 *
 * <p>Every line is forced onto one line: a message that spans lines would read as a stack trace. Callers
 * pass only sanitised text (fingerprints, never secrets), exactly like the library's own log calls.
 */
final class AgentConsole implements Logger {
  static final String PREFIX = "mondoo-wif agent: ";

  /** Where lines go; {@code null} means whatever {@code System.err} is at the time of each line. */
  private final PrintStream err;
  private final boolean debug;

  AgentConsole(boolean debug) {
    this(null, debug);
  }

  AgentConsole(PrintStream err, boolean debug) {
    this.err = err;
    this.debug = debug;
  }

  boolean debugEnabled() {
    return debug;
  }

  /** A state change: always printed. */
  void info(String message) {
    print(message);
  }

  /** A step: printed only with {@code mondoo.wif.debug=true}. */
  void debug(String message) {
    if (debug) {
      print("[debug] " + message);
    }
  }

  private void print(String message) {
    try {
      PrintStream out = err != null ? err : System.err;
      out.println(PREFIX + oneLine(message));
      out.flush();
    } catch (RuntimeException e) {
      // A broken stderr must never break the application.
    }
  }

  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(message.length());
    boolean space = false;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t' || Character.isISOControl(c)) {
        if (!space) {
          sb.append(' ');
          space = true;
        }
      } else {
        sb.append(c);
        space = false;
      }
    }
    return sb.toString().trim();
  }

  /** This console as a logger that prints only with {@code mondoo.wif.debug=true}, as debug lines. */
  System.Logger debugOnly() {
    AgentConsole console = this;
    return new System.Logger() {
      @Override
      public String getName() {
        return console.getName();
      }

      @Override
      public boolean isLoggable(Level level) {
        return console.debug && level != Level.OFF;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
          console.debug(msg);
        }
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
          console.debug(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }
      }
    };
  }

  // --- System.Logger, for the library's own lines ---

  @Override
  public String getName() {
    return "mondoo-wif-agent";
  }

  @Override
  public boolean isLoggable(Level level) {
    if (level == Level.OFF || level == Level.ALL) {
      return false;
    }
    return level.getSeverity() >= Level.INFO.getSeverity() || (debug && level == Level.DEBUG);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (!isLoggable(level)) {
      return;
    }
    // The throwable's class only: its message and stack are the library's business, and a stack trace
    // in the application's stderr is exactly what the agent promises not to produce.
    String line = thrown == null ? msg : msg + " (" + thrown.getClass().getName() + ")";
    if (level == Level.DEBUG) {
      debug(line);
    } else {
      info(line);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (!isLoggable(level)) {
      return;
    }
    String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
    log(level, bundle, msg, (Throwable) null);
  }
}
