package io.github.mondoowif.providers;

import io.github.mondoowif.testing.LogCapture;
import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.file.JwtEnvProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtEnvProviderTest {
  static final String ENV_TOKEN = ProviderTesting.jwt("https://issuer.example", "from-env", "mondoo",
      NOW.plusSeconds(600));
  static final String FILE_TOKEN = ProviderTesting.jwt("https://issuer.example", "from-file", "mondoo",
      NOW.plusSeconds(600));

  @TempDir Path dir;
  final JwtEnvProvider provider = new JwtEnvProvider();

  /** A configuration loaded the way users get it: the console's WIF file with a jwtToken. */
  MondooWifConfig wifFileWithToken(Map<String, String> env) throws Exception {
    Path file = Files.writeString(dir.resolve("wif.json"), "{\"type\":\"external_account\",\"audience\":\""
        + FakeMondoo.SPACE + "\",\"issuerUri\":\"https://issuer.example\",\"jwtToken\":\"" + FILE_TOKEN + "\"}");
    return MondooWifConfig.load(env, Map.of("mondoo.wif.config", file.toString()), Map.of(), "override");
  }

  @Test
  void applicability_jwtTokenEnv_applies() {
    var answer = provider.applicability(runtime(Map.of("JWT_TOKEN", ENV_TOKEN)));
    assertThat(answer.applicable()).isTrue();
    assertThat(answer.reason()).contains("JWT_TOKEN").doesNotContain(ENV_TOKEN);
  }

  @Test
  void applicability_nothingSet_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_jwtTokenEnv_returnsItWithItsExpiry() throws Exception {
    SubjectToken token = provider.fetchToken(runtime(Map.of("JWT_TOKEN", ENV_TOKEN + "\n")));
    assertThat(token.value()).isEqualTo(ENV_TOKEN);
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(600));
  }

  @Test
  void fetchToken_wifFileJwtToken_isUsedWhenTheEnvironmentHasNone() throws Exception {
    ProviderRuntime rt = runtime(wifFileWithToken(Map.of()), Map.of());
    assertThat(provider.applicability(rt).applicable()).isTrue();
    assertThat(provider.fetchToken(rt).value()).isEqualTo(FILE_TOKEN);
  }

  @Test
  void fetchToken_jwtTokenEnvAndWifFileToken_envWinsLikeMondoosCli() throws Exception {
    Map<String, String> env = Map.of("JWT_TOKEN", ENV_TOKEN);
    assertThat(provider.fetchToken(runtime(wifFileWithToken(env), env)).value()).isEqualTo(ENV_TOKEN);
  }

  @Test
  void fetchToken_explicitSettingAndJwtTokenEnv_settingWins() throws Exception {
    var config = ProviderTesting.config(b -> b.setting("jwt-token", FILE_TOKEN));
    assertThat(provider.fetchToken(runtime(config, Map.of("JWT_TOKEN", ENV_TOKEN))).value()).isEqualTo(FILE_TOKEN);
  }

  @Test
  void fetchToken_twice_warnsOnceThatItCannotRefreshWithoutShowingTheToken() throws Exception {
    try (LogCapture log = new LogCapture()) {
      provider.fetchToken(runtime(Map.of("JWT_TOKEN", ENV_TOKEN)));
      provider.fetchToken(runtime(Map.of("JWT_TOKEN", ENV_TOKEN)));

      assertThat(log.messages(Level.WARNING)).hasSize(1);
      assertThat(log.messages(Level.WARNING).get(0)).contains("cannot be refreshed", NOW.plusSeconds(600).toString());
      assertThat(log.all()).doesNotContain(ENV_TOKEN);
    }
  }

  @Test
  void fetchToken_expiredStaticToken_failsForGoodWithoutTheToken() {
    String expired = ProviderTesting.jwt("https://issuer.example", "s", "mondoo", NOW.minusSeconds(1));
    assertThatThrownBy(() -> provider.fetchToken(runtime(Map.of("JWT_TOKEN", expired))))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("expired at", "cannot be refreshed").doesNotContain(expired);
        });
  }

  @Test
  void fetchToken_notAJwt_refusedWithoutQuotingIt() {
    assertThatThrownBy(() -> provider.fetchToken(runtime(Map.of("JWT_TOKEN", "opaque-static-secret"))))
        .hasMessageContaining("not a JWT")
        .hasMessageNotContaining("opaque-static-secret");
  }
}
