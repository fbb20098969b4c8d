package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InjectEnvPolicyTest {
  @Test
  void resolve_unsetOrAll_isAll() {
    assertThat(InjectEnvPolicy.resolve(null)).isEqualTo("all");
    assertThat(InjectEnvPolicy.resolve(" ALL ")).isEqualTo("all");
  }

  @Test
  void resolve_none_isNone() {
    assertThat(InjectEnvPolicy.resolve("None")).isEqualTo("none");
  }

  @Test
  void resolve_list_isBaseNamesTrimmedWithoutDirectoriesExeOrDuplicates() {
    assertThat(InjectEnvPolicy.resolve(" cnspec, /usr/bin/cnquery ,C:\\tools\\mql.exe,cnspec,, "))
        .isEqualTo("cnspec,cnquery,mql");
  }

  @Test
  void resolve_listOfNothing_isNone() {
    assertThat(InjectEnvPolicy.resolve(", ,")).isEqualTo("none");
  }
}
