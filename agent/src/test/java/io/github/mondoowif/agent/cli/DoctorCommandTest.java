package io.github.mondoowif.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.testing.FakeMondoo;
import io.github.mondoowif.testing.FakeMondooApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {
  private static final String[] TITLES = {"Configuration", "Identity sources", "Subject token",
      "Exchange at Mondoo's STS", "Credential", "Mondoo API and clock", "Signed API call"};

  @StartStop final MockWebServer server = new MockWebServer();
  private final FakeMondooApi fake = FakeMondooApi.on(server);
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private CliRunner.Result doctor(Map<String, String> env, String... extra) {
    return doctor(env, Clock.systemUTC(), extra);
  }

  private CliRunner.Result doctor(Map<String, String> env, Clock clock, String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "doctor";
    args[1] = "--universe-domain=" + fake.universeDomain();
    System.arraycopy(extra, 0, args, 2, extra.length);
    return CliRunner.run(env, clock, args);
  }

  /** An Azure v1 token like FakeMondoo's, with some claims replaced. */
  private String token(Map<String, Object> changes) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", FakeMondooApi.RESOURCE);
    c.put("iss", FakeMondoo.ISSUER);
    c.put("iat", now.minusSeconds(60).getEpochSecond());
    c.put("nbf", now.minusSeconds(60).getEpochSecond());
    c.put("exp", now.plusSeconds(86400).getEpochSecond());
    c.put("oid", "11111111-2222-3333-4444-555555555555");
    c.put("sub", "11111111-2222-3333-4444-555555555555");
    c.put("tid", "00000000-1111-2222-3333-444444444444");
    c.put("ver", "1.0");
    c.putAll(changes);
    return FakeMondoo.jwt(c);
  }

  /** The lines of the text report that belong to step {@code n} (1-based). */
  private static String section(String out, int n) {
    int start = out.indexOf("\n" + n + ". ");
    int end = out.indexOf("\n" + (n + 1) + ". ", start + 1);
    if (end < 0) {
      end = out.lastIndexOf("\n\n");
    }
    return out.substring(start, end);
  }

  private void assertNoSecrets(CliRunner.Result r) {
    String all = r.out() + r.err();
    assertThat(all).doesNotContain(fake.subjectToken()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
    for (String credential : fake.issuedCredentials()) {
      assertThat(all).doesNotContain(credential);
    }
  }

  @Test
  void doctor_healthySetup_everyStepOkAndExit0() {
    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(r.status()).as(r.out()).isZero();
    for (int i = 0; i < TITLES.length; i++) {
      assertThat(r.out()).contains((i + 1) + ". " + TITLES[i] + " [OK]");
    }
    assertThat(r.out()).contains("All 7 steps passed");
    assertThat(section(r.out(), 2)).contains("selected  azure-cloud-shell")
        .containsPattern("azure-cloud-shell +500 +applicable +\\(MSI_ENDPOINT is set without MSI_SECRET\\)")
        .containsPattern("azure-imds +1000 +not applicable +\\(no IMDS at http://127.0.0.1:9");
    assertThat(section(r.out(), 3)).contains("iss      " + FakeMondoo.ISSUER)
        .contains("aud      " + FakeMondooApi.RESOURCE)
        .contains("oid      11111111-2222-3333-4444-555555555555")
        .contains("version  Entra v1 (ver 1.0)")
        .contains("[OK] iss equals mondoo.wif.issuer")
        .contains("[OK] aud equals mondoo.wif.azure.resource");
    assertThat(section(r.out(), 5)).contains("mrn           " + FakeMondoo.MRN).contains("scope         " + FakeMondoo.SPACE);
    assertThat(section(r.out(), 6)).contains("version      11.0.0").contains("clock agrees");
    assertThat(section(r.out(), 7)).contains("Mondoo accepted a request signed with the credential");
    assertThat(fake.pingPongProblems()).isEmpty();
    assertNoSecrets(r);
  }

  @Test
  void doctor_configuration_showsWhereEachValueCameFrom() {
    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(section(r.out(), 1))
        .containsPattern("audience +" + FakeMondoo.SPACE + " +\\(environment MONDOO_WIF_AUDIENCE\\)")
        .containsPattern("universe-domain +" + fake.universeDomain() + " +\\(command-line option universe-domain\\)")
        .containsPattern("credential-lifetime +1h +\\(default\\)")
        .doesNotContain("inject-env"); // agent-only defaults are noise here
  }

  @Test
  void doctor_json_isOneDocumentWithTheSameSteps() throws Exception {
    CliRunner.Result r = doctor(CliRunner.cloudShell(fake), "--json");

    assertThat(r.status()).isZero();
    Map<String, Object> doc = Json.parseObject(r.out());
    assertThat(doc).containsEntry("ok", true);
    List<?> steps = (List<?>) doc.get("steps");
    assertThat(steps).hasSize(7);
    for (int i = 0; i < TITLES.length; i++) {
      Map<?, ?> step = (Map<?, ?>) steps.get(i);
      assertThat(step.get("title")).isEqualTo(TITLES[i]);
      assertThat(step.get("status")).isEqualTo("ok");
    }
    Map<?, ?> tokenFacts = (Map<?, ?>) ((Map<?, ?>) steps.get(2)).get("facts");
    assertThat(tokenFacts.get("iss")).isEqualTo(FakeMondoo.ISSUER);
    Map<?, ?> providers = (Map<?, ?>) ((Map<?, ?>) steps.get(1)).get("facts");
    assertThat((List<?>) providers.get("providers")).anySatisfy(p -> {
      Map<?, ?> row = (Map<?, ?>) p;
      assertThat(row.get("name")).isEqualTo("azure-cloud-shell");
      assertThat(row.get("status")).isEqualTo("applicable");
    });
    assertNoSecrets(r);
  }

  @Test
  void doctor_jsonOnFailure_parsesAndSaysNotOk() throws Exception {
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"unauthenticated\"}"));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake), "--json");

    assertThat(r.status()).isEqualTo(1);
    Map<String, Object> doc = Json.parseObject(r.out());
    assertThat(doc).containsEntry("ok", false);
    Map<?, ?> exchange = (Map<?, ?>) ((List<?>) doc.get("steps")).get(3);
    assertThat(exchange.get("status")).isEqualTo("fail");
    assertThat(((Map<?, ?>) exchange.get("facts")).get("code")).isEqualTo("16");
  }

  @Test
  void doctor_issuerWithoutTrailingSlash_failsNamingTheSlash() {
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"issuer not trusted\"}"));
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.put("MONDOO_WIF_ISSUER", FakeMondoo.ISSUER.substring(0, FakeMondoo.ISSUER.length() - 1));

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 3)).contains("Subject token [FAIL]")
        .contains("[FAIL] issuer mismatch: the token's iss is `" + FakeMondoo.ISSUER + "` with a trailing slash")
        .contains("set it, and the issuer of the identity provider in Mondoo, to `" + FakeMondoo.ISSUER + "` exactly");
    assertNoSecrets(r);
  }

  @Test
  void doctor_v2IssuerConfiguredForV1Token_failsNamingBothForms() {
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"issuer not trusted\"}"));
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.put("MONDOO_WIF_ISSUER", "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0");

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 3)).contains("Entra v1 token").contains("v2 form");
  }

  @Test
  void doctor_tokenForAnotherApplication_failsOnAudience() {
    fake.subjectToken(token(Map.of("aud", "api://someone-else")));
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"subject not allowed\"}"));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 3)).contains("Subject token [FAIL]")
        .contains("[FAIL] audience mismatch: the token's aud is `api://someone-else`")
        .contains("mondoo.wif.azure.resource (the Application ID URI) is `" + FakeMondooApi.RESOURCE + "`")
        .contains("--azure.resource=");
  }

  @Test
  void doctor_v2TokenWithClientIdAudience_warnsAndExplains() {
    fake.subjectToken(token(Map.of("aud", "6f1c2a4e-0000-4000-8000-000000000000", "ver", "2.0",
        "iss", "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0")));
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.remove("MONDOO_WIF_ISSUER");

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).as(r.out()).isZero();
    assertThat(section(r.out(), 3)).contains("Subject token [WARN]").contains("Entra v2 token")
        .contains("mondoo.wif.issuer is not set, so the exchange sends the token's own iss");
  }

  @Test
  void doctor_stsRefuses_failsWithMondoosCodeAndMessage() {
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"no identity provider matches\"}"));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 4)).contains("Exchange at Mondoo's STS [FAIL]")
        .contains("status      HTTP 401").contains("code        16")
        .contains("message     no identity provider matches")
        .contains("its subject must match the token's sub `11111111-2222-3333-4444-555555555555`");
    assertThat(section(r.out(), 5)).contains("[SKIP]").contains("no credential was issued");
    assertThat(section(r.out(), 6)).contains("[OK]"); // the API and the clock are still checked
    assertThat(section(r.out(), 7)).contains("[SKIP]");
    assertNoSecrets(r);
  }

  @Test
  void doctor_imdsAnswers400_failsSayingNoIdentityIsAssigned() {
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.remove("MSI_ENDPOINT");
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", fake.imdsHost());
    fake.enqueueToken(FakeMondooApi.json(400,
        "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}"));

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 2)).contains("selected  azure-imds");
    assertThat(section(r.out(), 3)).contains("Subject token [FAIL]").contains("HTTP 400")
        .contains("Identity not found").contains("no managed identity is assigned to this host");
    assertThat(section(r.out(), 4)).contains("[SKIP]");
  }

  @Test
  void doctor_noProviderApplies_failsListingEveryReason() {
    Map<String, String> env = CliRunner.offAzure();
    env.put("MONDOO_WIF_AUDIENCE", FakeMondoo.SPACE);

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 2)).contains("Identity sources [FAIL]")
        .contains("no identity source applies here")
        .contains("azure-cloud-shell: MSI_ENDPOINT is not set")
        .contains("azure-imds: no IMDS at http://127.0.0.1:9")
        .contains("assign a managed identity");
    assertThat(section(r.out(), 3)).contains("[SKIP]");
  }

  @Test
  void doctor_expiredToken_failsSayingWhen() {
    Instant exp = now.minus(Duration.ofMinutes(10));
    fake.subjectToken(token(Map.of("exp", exp.getEpochSecond(), "iat", exp.minusSeconds(3600).getEpochSecond(),
        "nbf", exp.minusSeconds(3600).getEpochSecond())));
    fake.enqueueSts(FakeMondooApi.json(401, "{\"code\":16,\"message\":\"token expired\"}"));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 3)).contains("[FAIL] the token expired at " + exp);
  }

  @Test
  void doctor_tokenIssuedInTheFuture_warnsClockSkew() {
    Instant iat = now.plus(Duration.ofMinutes(20));
    fake.subjectToken(token(Map.of("iat", iat.getEpochSecond(), "nbf", iat.getEpochSecond())));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake));

    assertThat(r.status()).as(r.out()).isZero();
    assertThat(section(r.out(), 3)).contains("Subject token [WARN]")
        .contains("[WARN] clock skew: the token was issued at " + iat).contains("in the future");
  }

  @Test
  void doctor_mondooClockTwoMinutesAhead_warnsOverThirtySeconds() {
    Clock fixed = Clock.fixed(now, java.time.ZoneOffset.UTC);
    fake.clock(fixed).serverClockOffset(Duration.ofMinutes(2));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake), fixed);

    assertThat(r.status()).as(r.out()).isZero();
    assertThat(section(r.out(), 6)).contains("Mondoo API and clock [WARN]")
        .contains("clock skew: this host's clock is 2m behind Mondoo's (more than 30 s)");
  }

  @Test
  void doctor_hostClockTenMinutesAhead_pingPongRefusedAndSkewShown() {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake), ahead);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 6)).contains("[WARN] clock skew: this host's clock is 10m ahead of Mondoo's");
    assertThat(section(r.out(), 7)).contains("Signed API call [FAIL]").contains("HTTP 401")
        .contains("this host's clock is off");
    assertThat(fake.pingPongProblems()).anySatisfy(p -> assertThat(p).contains("is far from now"));
  }

  @Test
  void doctor_noAudience_configurationFailsRestSkippedExit1() {
    Map<String, String> env = CliRunner.cloudShell(fake);
    env.remove("MONDOO_WIF_AUDIENCE");

    CliRunner.Result r = doctor(env);

    assertThat(r.status()).isEqualTo(1);
    assertThat(section(r.out(), 1)).contains("Configuration [FAIL]").contains("mondoo.wif.audience is required")
        .contains("--audience=");
    for (int i = 2; i <= 7; i++) {
      assertThat(section(r.out(), i)).contains("[SKIP]");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void doctor_mondooConfigBase64AlreadySet_warnsWithFingerprintOnly() {
    Map<String, String> env = CliRunner.cloudShell(fake);
    String existing = FakeMondoo.base64Credential(now.plusSeconds(3600));
    env.put("MONDOO_CONFIG_BASE64", existing);

    CliRunner.Result r = doctor(env);

    assertThat(section(r.out(), 1)).contains("Configuration [WARN]").contains("MONDOO_CONFIG_BASE64 is already set");
    assertThat(r.out()).doesNotContain(existing);
  }

  @Test
  void doctor_secretSetting_showsFingerprintNeverValue() {
    String staticToken = token(Map.of());

    CliRunner.Result r = doctor(CliRunner.cloudShell(fake), "--jwt-token=" + staticToken);

    assertThat(section(r.out(), 1)).containsPattern("jwt-token +<secret, sha256 [0-9a-f]{12}> +\\(command-line option jwt-token\\)");
    assertThat(r.out() + r.err()).doesNotContain(staticToken);
  }
}
