package io.github.mondoowif.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {
  @AfterEach
  void restore() {
    Log.useDefault();
  }

  @Test
  void redirect_infoAndWarn_reachTheTargetWithTheirLevel() {
    Recording target = new Recording(false);
    Log.redirect(target);

    Log.info("state changed");
    Log.warn("refresh failed");

    assertThat(target.lines).containsExactly("INFO state changed", "WARNING refresh failed");
  }

  @Test
  void redirect_debugWhenTargetDeclinesDebug_isNotDelivered() {
    Recording target = new Recording(false);
    Log.redirect(target);

    Log.debug("provider selected");

    assertThat(target.lines).isEmpty();
  }

  @Test
  void redirect_debugWhenTargetAcceptsDebug_isDelivered() {
    Recording target = new Recording(true);
    Log.redirect(target);

    Log.debug("provider selected");

    assertThat(target.lines).containsExactly("DEBUG provider selected");
  }

  @Test
  void useDefault_afterRedirect_stopsDeliveringToTheTarget() {
    Recording target = new Recording(true);
    Log.redirect(target);
    Log.useDefault();

    Log.debug("not for the target");

    assertThat(target.lines).isEmpty();
    assertThat(Log.logger()).isNotSameAs(target);
    assertThat(Log.logger().getName()).isEqualTo(Log.name());
  }

  private static final class Recording implements Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final boolean debug;

    Recording(boolean debug) {
      this.debug = debug;
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return debug || level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }
  }
}
