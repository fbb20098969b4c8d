package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.github.GitHubActionsProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class GitHubActionsProviderTest {
  static final String REQUEST_TOKEN = "ghs_actionsRequestTokenSecretValue";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final String OIDC = ProviderTesting.jwt(ISSUER, "repo:org/repo:ref:refs/heads/main", FakeMondoo.SPACE,
      NOW.plusSeconds(300));

  @StartStop final MockWebServer server = new MockWebServer();
  final GitHubActionsProvider provider = new GitHubActionsProvider();

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_ACTIONS", "true");
    env.put("ACTIONS_ID_TOKEN_REQUEST_URL", server.url("/_apis/distributedtask/token?api-version=2.0").toString());
    env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    return env;
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("{\"count\":1,\"value\":\"" + OIDC + "\"}").build();
  }

  @Test
  void applicability_urlAndToken_applies() {
    assertThat(provider.applicability(runtime(env())).applicable()).isTrue();
    assertThat(provider).isNotInstanceOf(AzureSource.class);
  }

  @Test
  void applicability_outsideActions_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void applicability_actionsJobWithoutVariables_explainsThePermission() {
    var answer = provider.applicability(runtime(Map.of("GITHUB_ACTIONS", "true")));
    assertThat(answer.applicable()).isFalse();
    assertThat(answer.reason()).contains("permissions: id-token: write");
  }

  @Test
  void fetchToken_getsTokenForTheMondooAudienceWithBearerHeader() throws Exception {
    server.enqueue(ok());

    SubjectToken token = provider.fetchToken(runtime(env()));

    assertThat(token.value()).isEqualTo(OIDC);
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(300));
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/_apis/distributedtask/token");
    assertThat(request.getUrl().queryParameter("api-version")).isEqualTo("2.0");
    assertThat(request.getUrl().queryParameter("audience")).isEqualTo(FakeMondoo.SPACE);
    assertThat(request.getUrl().querySize()).isEqualTo(2);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("bearer " + REQUEST_TOKEN);
  }

  @Test
  void fetchToken_githubAudienceConfigured_asksForThatAudience() throws Exception {
    server.enqueue(ok());
    provider.fetchToken(runtime(ProviderTesting.config(b -> b.setting("github.audience", "mondoo")), env()));
    assertThat(server.takeRequest().getUrl().queryParameter("audience")).isEqualTo("mondoo");
  }

  @Test
  void fetchToken_onlyTheUrlIsSet_saysTheWorkflowLacksThePermission() {
    Map<String, String> env = env();
    env.remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");

    assertThat(provider.applicability(runtime(env)).applicable()).isTrue();
    assertThatThrownBy(() -> provider.fetchToken(runtime(env)))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("ACTIONS_ID_TOKEN_REQUEST_TOKEN is not")
        .hasMessageContaining("permissions: id-token: write");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void fetchToken_401_explainsAndHidesTheRequestToken() {
    server.enqueue(new MockResponse.Builder().code(401).body("{\"message\":\"Bad credentials\"}").build());

    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("HTTP 401", "Bad credentials", "/_apis/distributedtask/token",
              "id-token: write").doesNotContain(REQUEST_TOKEN);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void fetchToken_500ThreeTimes_failsAfterThreeAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(500).build());
    }
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("HTTP 500 after 3 attempts");
        });
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void fetchToken_500ThenOk_retries() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(ok());
    assertThat(provider.fetchToken(runtime(env())).value()).isEqualTo(OIDC);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void fetchToken_valueMissing_listsTheFieldsThatCame() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"count\":0}").build());
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("without a \"value\"")
        .hasMessageContaining("count");
  }

  @Test
  void fetchToken_htmlInsteadOfJson_saysSo() {
    server.enqueue(new MockResponse.Builder().code(200).body("<html>proxy login</html>").build());
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("not JSON")
        .hasMessageContaining("proxy login");
  }

  @Test
  void fetchToken_valueNotAJwt_isRefusedWithoutQuotingIt() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"value\":\"opaque-token-value\"}").build());
    assertThatThrownBy(() -> provider.fetchToken(runtime(env())))
        .hasMessageContaining("not a JWT")
        .hasMessageNotContaining("opaque-token-value");
  }
}
