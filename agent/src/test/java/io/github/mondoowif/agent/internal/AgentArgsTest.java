package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentArgsTest {
  @Test
  void parse_keyValuePairs_keysWithoutPrefix() {
    AgentArgs a = AgentArgs.parse("audience=//captain.api.mondoo.app/spaces/s1,issuer=https://sts.windows.net/t/");

    assertThat(a.settings()).containsExactly(
        org.assertj.core.api.Assertions.entry("audience", "//captain.api.mondoo.app/spaces/s1"),
        org.assertj.core.api.Assertions.entry("issuer", "https://sts.windows.net/t/"));
    assertThat(a.unknownKeys()).isEmpty();
    assertThat(a.malformed()).isZero();
  }

  @Test
  void parse_pieceWithoutEquals_continuesThePreviousValueSoListsWork() {
    AgentArgs a = AgentArgs.parse("inject-env=cnspec,cnquery, mql,debug=true");

    assertThat(a.get("inject-env")).isEqualTo("cnspec,cnquery,mql");
    assertThat(a.get("debug")).isEqualTo("true");
  }

  @Test
  void parse_valueContainingEquals_splitsAtTheFirstOnly() {
    assertThat(AgentArgs.parse("jwt-token=a=b==").get("jwt-token")).isEqualTo("a=b==");
  }

  @Test
  void parse_prefixedKey_isAcceptedWithoutThePrefix() {
    assertThat(AgentArgs.parse("mondoo.wif.audience=x").get("audience")).isEqualTo("x");
  }

  @Test
  void parse_unknownKey_isReportedByNameOnly() {
    AgentArgs a = AgentArgs.parse("audiance=x,audience=y");

    assertThat(a.unknownKeys()).containsExactly("audiance");
    assertThat(a.get("audience")).isEqualTo("y");
  }

  @Test
  void parse_leadingPieceWithoutKey_isCountedNotKept() {
    AgentArgs a = AgentArgs.parse("eyJhbGciOi-a-pasted-token,=x,audience=y");

    assertThat(a.malformed()).isEqualTo(2);
    assertThat(a.settings()).containsOnlyKeys("audience");
  }

  @Test
  void parse_nullOrBlank_isEmpty() {
    assertThat(AgentArgs.parse(null).settings()).isEmpty();
    assertThat(AgentArgs.parse("  ").settings()).isEmpty();
  }
}
