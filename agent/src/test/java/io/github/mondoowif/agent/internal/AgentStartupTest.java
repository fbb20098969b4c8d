package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentStartupTest {
  @AfterEach
  void clear() {
    System.clearProperty("mondoo.wif.required");
    System.clearProperty("mondoo.wif.startup-timeout");
  }

  @Test
  void raw_agentArgumentBeatsSystemPropertyBeatsEnvironment() {
    Map<String, String> env = Map.of("MONDOO_WIF_REQUIRED", "from-env");
    System.setProperty("mondoo.wif.required", "from-property");

    assertThat(AgentStartup.raw("required", AgentArgs.parse("required=from-arg"), env)).isEqualTo("from-arg");
    assertThat(AgentStartup.raw("required", AgentArgs.parse(""), env)).isEqualTo("from-property");
    System.clearProperty("mondoo.wif.required");
    assertThat(AgentStartup.raw("required", AgentArgs.parse(""), env)).isEqualTo("from-env");
    assertThat(AgentStartup.raw("required", AgentArgs.parse(""), Map.of())).isNull();
  }

  @Test
  void overrides_bareZeroStartupTimeoutFromAnySource_becomesZeroSeconds() {
    assertThat(AgentStartup.overrides(AgentArgs.parse("startup-timeout=0"), Map.of()))
        .containsEntry("startup-timeout", "0s");
    assertThat(AgentStartup.overrides(AgentArgs.parse(""), Map.of("MONDOO_WIF_STARTUP_TIMEOUT", "0")))
        .containsEntry("startup-timeout", "0s");
  }

  @Test
  void overrides_otherTimeouts_areLeftToTheConfiguration() {
    assertThat(AgentStartup.overrides(AgentArgs.parse("startup-timeout=5s,audience=a"), Map.of()))
        .containsEntry("startup-timeout", "5s").containsEntry("audience", "a");
    assertThat(AgentStartup.overrides(AgentArgs.parse("audience=a"), Map.of("MONDOO_WIF_STARTUP_TIMEOUT", "10")))
        .doesNotContainKey("startup-timeout");
  }
}
