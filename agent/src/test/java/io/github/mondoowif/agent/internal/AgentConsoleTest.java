package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentConsoleTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void info_multiLineMessage_isPrintedAsOnePrefixedLine() {
    new AgentConsole(err, false).info("first\n\tsecond\r\nthird");

    assertThat(printed()).isEqualTo("mondoo-wif agent: first second third" + System.lineSeparator());
  }

  @Test
  void debug_withoutDebugFlag_printsNothing() {
    new AgentConsole(err, false).debug("step");

    assertThat(printed()).isEmpty();
  }

  @Test
  void debug_withDebugFlag_printsMarkedLine() {
    new AgentConsole(err, true).debug("step");

    assertThat(printed()).isEqualTo("mondoo-wif agent: [debug] step" + System.lineSeparator());
  }

  @Test
  void asSystemLogger_infoAndWarningPrintedDebugOnlyWithFlagTraceNever() {
    AgentConsole quiet = new AgentConsole(err, false);
    AgentConsole loud = new AgentConsole(err, true);

    assertThat(quiet.isLoggable(Level.INFO)).isTrue();
    assertThat(quiet.isLoggable(Level.WARNING)).isTrue();
    assertThat(quiet.isLoggable(Level.DEBUG)).isFalse();
    assertThat(loud.isLoggable(Level.DEBUG)).isTrue();
    assertThat(loud.isLoggable(Level.TRACE)).isFalse();
  }

  @Test
  void asSystemLogger_throwable_printsItsClassNeverItsMessageOrStack() {
    new AgentConsole(err, false).log(Level.WARNING, (java.util.ResourceBundle) null, "refresh failed",
        new IllegalStateException("secret-ish detail"));

    assertThat(printed()).contains("refresh failed (java.lang.IllegalStateException)")
        .doesNotContain("secret-ish detail").doesNotContain("\tat ");
  }

  @Test
  void asSystemLogger_formatWithParameters_isFormatted() {
    new AgentConsole(err, false).log(Level.INFO, (java.util.ResourceBundle) null, "provider {0} selected", "azure-imds");

    assertThat(printed()).contains("provider azure-imds selected");
  }
}
