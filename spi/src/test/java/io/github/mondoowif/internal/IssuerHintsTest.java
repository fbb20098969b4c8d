package io.github.mondoowif.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IssuerHintsTest {
  private static final String V1 = "https://sts.windows.net/tenant-1/";
  private static final String V2 = "https://login.microsoftonline.com/tenant-1/v2.0";

  @Test
  void mismatch_trailingSlashOnlyOnToken_saysTokenHasTrailingSlash() {
    assertThat(IssuerHints.mismatch("https://sts.windows.net/tenant-1", V1))
        .contains("`" + V1 + "` with a trailing slash").contains("without one");
  }

  @Test
  void mismatch_v1TokenV2Configured_namesBothForms() {
    assertThat(IssuerHints.mismatch(V2, V1)).contains("Entra v1 token").contains("v2 form");
  }

  @Test
  void mismatch_equal_isNull() {
    assertThat(IssuerHints.mismatch(V1, V1)).isNull();
  }

  @Test
  void entraVersion_verClaimWins_elseIssuerForm() {
    assertThat(IssuerHints.entraVersion(V1, "2.0")).isEqualTo("v2");
    assertThat(IssuerHints.entraVersion(V2, null)).isEqualTo("v2");
    assertThat(IssuerHints.entraVersion(V1, null)).isEqualTo("v1");
    assertThat(IssuerHints.entraVersion("https://token.actions.githubusercontent.com", null)).isNull();
  }

  @Test
  void azureAudienceMismatch_equal_isNull() {
    assertThat(IssuerHints.azureAudienceMismatch("api://mondoo", "api://mondoo", "v1")).isNull();
  }

  @Test
  void azureAudienceMismatch_trailingSlashOnly_saysSo() {
    assertThat(IssuerHints.azureAudienceMismatch("https://management.azure.com/", "https://management.azure.com", "v1"))
        .contains("differ only by a trailing slash");
  }

  @Test
  void azureAudienceMismatch_v2Token_explainsClientIdAudience() {
    assertThat(IssuerHints.azureAudienceMismatch("api://mondoo", "6f1c2a4e-0000-4000-8000-000000000000", "v2"))
        .contains("Entra v2 token").contains("client id").contains("accessTokenAcceptedVersion");
  }

  @Test
  void azureAudienceMismatch_otherApplication_namesSettingAndBothValues() {
    assertThat(IssuerHints.azureAudienceMismatch("api://mondoo", "api://other", "v1"))
        .contains("`api://other`").contains("`api://mondoo`").contains("mondoo.wif.azure.resource")
        .contains("another application");
  }
}
