package io.github.mondoowif.agent.cli;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooApiClient;
import io.github.mondoowif.MondooApiException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.NoProviderException;
import io.github.mondoowif.agent.cli.DoctorReport.Status;
import io.github.mondoowif.agent.cli.DoctorReport.Step;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.IssuerHints;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.Sleeper;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code doctor [--json]}: walks the whole path of a credential one step at a time, as a support engineer
 * would, and says at each step what it found, what it compared and what to do. It drives the internal
 * pieces itself (discovery, the provider, the STS client, the parser, the API client) so that each step is
 * reported on its own. It never prints a token or a credential: fingerprints only.
 */
final class DoctorCommand implements Command {
  private static final String JSON = "--json";
  /** A token issued further in the future than this says the host's clock is behind. */
  static final Duration ISSUED_IN_FUTURE = Duration.ofMinutes(5);
  /** Mondoo's own CLI warns over this difference to Health/Check's time. */
  static final Duration API_CLOCK_TOLERANCE = Duration.ofSeconds(30);

  /** Settings only the -javaagent reads: shown when set, not as defaults. */
  private static final java.util.Set<String> AGENT_ONLY = java.util.Set.of(ConfigKeys.ENABLED, ConfigKeys.REQUIRED,
      ConfigKeys.STARTUP_TIMEOUT, ConfigKeys.INJECT_ENV, ConfigKeys.OUTPUT_FILE, ConfigKeys.DEBUG);

  private static final String[][] STEPS = {
      {"configuration", "Configuration"},
      {"providers", "Identity sources"},
      {"token", "Subject token"},
      {"exchange", "Exchange at Mondoo's STS"},
      {"credential", "Credential"},
      {"clock", "Mondoo API and clock"},
      {"pingpong", "Signed API call"},
  };

  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public String summary() {
    return "Check the setup step by step and say what to fix; --json for tooling.";
  }

  @Override
  public void describe(CommandSpec spec) {
    spec.usageMessage().description(
        "Explains the setup step by step: the configuration and where each value",
        "came from, every identity source and whether it applies, the subject",
        "token's claims checked against the configured issuer and audience, the",
        "exchange at Mondoo's STS, the credential, the clock difference to Mondoo,",
        "and a signed call. Never prints a token or the credential. Exit status 1",
        "when any step fails.");
    spec.addOption(OptionSpec.builder(JSON).arity("0").type(boolean.class)
        .description("Print one JSON document instead of text.").build());
  }

  /** The configuration itself did not load: that is the first finding, and nothing else can run. */
  int runWithoutConfig(ParseResult parsed, ConfigException e, CliContext ctx) {
    DoctorReport report = new DoctorReport(ctx.clock.instant().toString());
    Step config = report.step(STEPS[0][0], STEPS[0][1]).fail(e.getMessage());
    if (e.key() != null) {
      ConfigKeys.Key k = ConfigKeys.get(e.key());
      if (k != null) {
        config.hint("set " + k.name + " with --" + k.name + "=…, -D" + k.property() + ", the environment variable "
            + k.env() + ", or in the WIF file from the Mondoo console (--config=<path>)");
      }
    }
    for (int i = 1; i < STEPS.length; i++) {
      report.step(STEPS[i][0], STEPS[i][1]).skip("the configuration did not load");
    }
    return print(report, parsed, ctx);
  }

  @Override
  public int run(ParseResult parsed, MondooWifConfig config, CliContext ctx) {
    return print(new Diagnosis(config, ctx).run(), parsed, ctx);
  }

  private static int print(DoctorReport report, ParseResult parsed, CliContext ctx) {
    if (parsed.matchedOptionValue(JSON, false)) {
      report.printJson(ctx.out);
    } else {
      report.printText(ctx.out);
    }
    return report.ok() ? Cli.OK : Cli.FAILED;
  }

  /** One run of the checks; each step leaves what the next one needs. */
  private static final class Diagnosis {
    private final MondooWifConfig config;
    private final CliContext ctx;
    private final DoctorReport report;
    private ProviderRuntime runtime;
    private CredentialProvider provider;
    private SubjectToken token;
    private JwtClaims claims;
    private String issuerToSend;
    private String base64;
    private MondooCredential credential;
    private MondooApiClient api;

    Diagnosis(MondooWifConfig config, CliContext ctx) {
      this.config = config;
      this.ctx = ctx;
      this.report = new DoctorReport(ctx.clock.instant().toString());
    }

    DoctorReport run() {
      configuration(report.step(STEPS[0][0], STEPS[0][1]));
      providers(report.step(STEPS[1][0], STEPS[1][1]));
      token(report.step(STEPS[2][0], STEPS[2][1]));
      exchange(report.step(STEPS[3][0], STEPS[3][1]));
      credential(report.step(STEPS[4][0], STEPS[4][1]));
      clock(report.step(STEPS[5][0], STEPS[5][1]));
      pingPong(report.step(STEPS[6][0], STEPS[6][1]));
      return report;
    }

    private Instant now() {
      return ctx.clock.instant();
    }

    // 1 ------------------------------------------------------------------------------------------------
    private void configuration(Step s) {
      List<Map<String, String>> rows = new ArrayList<>();
      for (ConfigKeys.Key k : ConfigKeys.all().values()) {
        Optional<String> v = config.setting(k.name);
        if (v.isEmpty() || (AGENT_ONLY.contains(k.name) && !config.keys().contains(k.name))) {
          continue; // unset, or an agent-only default that says nothing about this setup
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("key", k.name);
        row.put("value", k.secret ? "<secret, sha256 " + Secrets.fingerprint(v.get()) + ">" : v.get());
        row.put("origin", config.originOf(k.name));
        rows.add(row);
      }
      s.fact("settings", rows);
      s.check(Status.OK, "audience " + config.audience() + " (from " + config.originOf(ConfigKeys.AUDIENCE) + ")");
      String existing = ctx.env.get("MONDOO_CONFIG_BASE64");
      if (existing != null && !existing.isBlank()) {
        s.check(Status.WARN, "MONDOO_CONFIG_BASE64 is already set in this environment (sha256 "
            + Secrets.fingerprint(existing.trim()) + "). Mondoo's CLIs use it before anything else, so it decides "
            + "which identity they use, unless they are started through 'exec'");
      }
    }

    // 2 ------------------------------------------------------------------------------------------------
    private void providers(Step s) {
      runtime = ProviderRuntime.builder(config).env(ctx.env).clock(ctx.clock).build();
      ProviderRegistry registry = ProviderRegistry.load(DoctorCommand.class.getClassLoader());
      Map<CredentialProvider, Applicability> survey = registry.survey(runtime);
      List<Map<String, String>> rows = new ArrayList<>();
      for (Map.Entry<CredentialProvider, Applicability> e : survey.entrySet()) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("name", e.getKey().name());
        row.put("priority", String.valueOf(e.getKey().priority()));
        row.put("status", e.getValue().applicable() ? "applicable" : "not applicable");
        row.put("reason", e.getValue().reason());
        rows.add(row);
      }
      s.fact("providers", rows);
      for (String problem : registry.problems()) {
        s.check(Status.WARN, "a provider could not be loaded: " + problem);
      }
      String source = config.source();
      try {
        provider = registry.select(runtime);
      } catch (NoProviderException e) {
        s.fail(e.getMessage());
        s.hint("no identity source applies here. On an Azure VM, scale set or AKS node, assign a managed identity "
            + "(IMDS must answer); Azure Cloud Shell sets MSI_ENDPOINT by itself; anywhere else name a source with "
            + "--source=<name> and give it what it needs");
        return;
      } catch (ConfigException e) {
        s.fail(e.getMessage());
        return;
      }
      s.fact("selected", provider.name());
      if ("auto".equals(source)) {
        s.check(Status.OK, provider.name() + " is the first source that applies (mondoo.wif.source=auto)");
      } else {
        Applicability a = survey.get(provider);
        s.check(Status.OK, provider.name() + " is named by mondoo.wif.source (from "
            + config.originOf(ConfigKeys.SOURCE) + ")");
        if (a != null && !a.applicable()) {
          s.check(Status.WARN, provider.name() + " was named outright, but says it does not apply here: "
              + a.reason());
        }
      }
    }

    // 3 ------------------------------------------------------------------------------------------------
    private void token(Step s) {
      if (provider == null) {
        s.skip("no identity source was selected");
        return;
      }
      s.fact("source", provider.name());
      try {
        token = provider.fetchToken(runtime);
        if (token == null) {
          s.fail("[" + provider.name() + "] fetchToken() returned null (a bug in the provider)");
          return;
        }
      } catch (TokenSourceException e) {
        s.fact("endpoint", e.endpoint());
        if (e.status() != 0) {
          s.fact("status", "HTTP " + e.status());
        }
        s.fail(e.getMessage());
        tokenFailureHints(s, e);
        return;
      } catch (RuntimeException e) {
        s.fail("[" + provider.name() + "] the provider failed unexpectedly: " + e.getClass().getName()
            + (e.getMessage() == null ? "" : ": " + Secrets.redactTokens(e.getMessage())));
        return;
      }
      s.fact("sha256", token.fingerprint());
      claims = JwtClaims.tryDecode(token.value()).orElse(null);
      if (claims == null) {
        s.check(Status.FAIL, "the token is not a JWT; Mondoo's STS accepts only JWTs");
        return;
      }
      String version = IssuerHints.entraVersion(claims.issuer(), claims.text("ver"));
      s.fact("iss", claims.issuer())
          .fact("aud", claims.audience())
          .fact("sub", claims.subject())
          .fact("oid", claims.text("oid"))
          .fact("tid", claims.text("tid"))
          .fact("appid", claims.text("appid") != null ? claims.text("appid") : claims.text("azp"))
          .fact("iat", claims.issuedAt())
          .fact("nbf", claims.instant("nbf"))
          .fact("exp", claims.expiresAt())
          .fact("version", version != null ? "Entra " + version + (claims.text("ver") == null ? "" : " (ver "
              + claims.text("ver") + ")") : claims.text("ver"));
      issuerCheck(s);
      if (provider instanceof AzureSource) {
        audienceCheck(s, version);
      }
      timeChecks(s);
    }

    private void tokenFailureHints(Step s, TokenSourceException e) {
      boolean azure = provider instanceof AzureSource;
      if (e.status() == 400 && azure) {
        s.hint("HTTP 400 from an Azure token endpoint means it knows no such identity: no managed identity is "
            + "assigned to this host" + (config.azureClientId() != null ? ", or the user-assigned identity "
            + config.azureClientId() + " (mondoo.wif.azure.client-id) is not assigned to it" : "")
            + ", or the resource " + config.azureResource() + " (mondoo.wif.azure.resource) is wrong. Assign the "
            + "identity in the Azure portal (Identity → System assigned → On) and try again");
      } else if (e.status() == 0) {
        s.hint("the token endpoint did not answer: check that this host is where " + provider.name()
            + " runs, and that nothing blocks the connection");
      } else if (e.status() == 401 || e.status() == 403) {
        s.hint("the token endpoint refused the request: check the identity's permissions and the secrets the "
            + "platform provides in the environment");
      }
    }

    private void issuerCheck(Step s) {
      String configured = config.issuer();
      String iss = claims.issuer();
      if (configured == null) {
        if (provider instanceof AzureSource && iss != null) {
          issuerToSend = iss;
          s.check(Status.OK, "mondoo.wif.issuer is not set, so the exchange sends the token's own iss `" + iss
              + "`; the identity provider in Mondoo must use exactly this issuer");
        } else {
          s.check(Status.FAIL, "mondoo.wif.issuer is required for the " + provider.name() + " source and not set");
          s.hint("set --issuer=" + (iss == null ? "<the issuer URL>" : iss) + " (the token's iss), the same "
              + "value as the issuer of the identity provider in Mondoo");
        }
        return;
      }
      issuerToSend = configured;
      String mismatch = IssuerHints.mismatch(configured, iss);
      if (mismatch == null) {
        s.check(Status.OK, "iss equals mondoo.wif.issuer (from " + config.originOf(ConfigKeys.ISSUER) + ")");
      } else {
        s.check(Status.FAIL, "issuer mismatch: " + mismatch);
        s.hint("mondoo.wif.issuer is `" + configured + "` (from " + config.originOf(ConfigKeys.ISSUER)
            + "); set it, and the issuer of the identity provider in Mondoo, to `" + iss + "` exactly");
      }
    }

    private void audienceCheck(Step s, String version) {
      String resource = config.azureResource();
      String aud = claims.audience();
      String mismatch = IssuerHints.azureAudienceMismatch(resource, aud, version);
      if (mismatch == null) {
        s.check(Status.OK, "aud equals mondoo.wif.azure.resource `" + resource + "` (from "
            + config.originOf(ConfigKeys.AZURE_RESOURCE) + ")");
      } else if ("v2".equals(version)) {
        s.check(Status.WARN, "audience: " + mismatch);
      } else {
        s.check(Status.FAIL, "audience mismatch: " + mismatch);
        s.hint("mondoo.wif.azure.resource is `" + resource + "` (from " + config.originOf(ConfigKeys.AZURE_RESOURCE)
            + "): set it to the Application ID URI of the Entra app, e.g. --azure.resource=api://<app>");
      }
    }

    private void timeChecks(Step s) {
      Instant now = now();
      Instant exp = claims.expiresAt();
      if (exp != null && !exp.isAfter(now)) {
        s.check(Status.FAIL, "the token expired at " + exp + ", " + human(Duration.between(exp, now))
            + " ago by this host's clock (" + now + ")");
        s.hint("an expired token from a fresh fetch means the token source is stale or this host's clock is ahead: "
            + "check the time (NTP)");
      } else if (exp != null) {
        s.check(Status.OK, "the token is valid until " + exp + " (" + human(Duration.between(now, exp)) + " from now)");
      }
      Instant iat = claims.issuedAt();
      Instant nbf = claims.instant("nbf");
      Instant earliest = nbf != null && (iat == null || nbf.isAfter(iat)) ? nbf : iat;
      if (earliest != null && earliest.isAfter(now.plus(ISSUED_IN_FUTURE))) {
        s.check(Status.WARN, "clock skew: the token was issued at " + earliest + ", "
            + human(Duration.between(now, earliest)) + " in the future by this host's clock (" + now + ")");
        s.hint("this host's clock is behind: sync it (NTP). Mondoo checks token times too");
      }
    }

    // 4 ------------------------------------------------------------------------------------------------
    private void exchange(Step s) {
      if (token == null) {
        s.skip("no subject token");
        return;
      }
      if (issuerToSend == null) {
        s.skip("no issuer to send (see Subject token)");
        return;
      }
      String universe = config.universeDomain();
      s.fact("endpoint", StsClient.endpoint(universe))
          .fact("audience", config.audience())
          .fact("issuer_uri", issuerToSend)
          .fact("jwt_token", "sha256 " + token.fingerprint());
      StsClient sts = new StsClient(HttpClients.sts(config.requestTimeout()), Sleeper.SYSTEM, ctx.clock,
          () -> ThreadLocalRandom.current().nextDouble());
      try {
        base64 = sts.exchange(universe, config.audience(), issuerToSend, token);
        s.check(Status.OK, "Mondoo's STS issued a credential (sha256 " + Secrets.fingerprint(base64) + ")");
      } catch (ExchangeException e) {
        s.fact("status", e.status() == 0 ? "no response" : "HTTP " + e.status());
        s.fact("code", e.code());
        s.fact("message", e.serverMessage());
        s.fail(e.getMessage());
        exchangeHints(s, e);
      }
    }

    private void exchangeHints(Step s, ExchangeException e) {
      int status = e.status();
      if (status == 401 || status == 403) {
        String sub = claims == null ? null : claims.subject();
        s.hint("Mondoo refused this token for " + config.audience() + ". In the Mondoo console (the space → "
            + "Settings → Identity Providers) the identity provider's issuer must be exactly `" + issuerToSend + "`"
            + (sub == null ? "" : " and its subject must match the token's sub `" + sub + "`")
            + (provider instanceof AzureSource ? " (for an Azure managed identity that is its object id)" : ""));
      } else if (status == 404) {
        s.hint("no such endpoint or space: check mondoo.wif.universe-domain (" + config.universeDomain()
            + ") and the space id in mondoo.wif.audience");
      } else if (status == 400) {
        s.hint("check the form of mondoo.wif.audience (//captain.api.mondoo.app/spaces/<space-id>) and "
            + "mondoo.wif.issuer (a URL)");
      } else if (status == 0) {
        s.hint("Mondoo could not be reached: check network access and any proxy to " + config.universeDomain());
      } else if (status == 429 || status >= 500) {
        s.hint("Mondoo's STS is unavailable or throttling: try again in a minute");
      }
    }

    // 5 ------------------------------------------------------------------------------------------------
    private void credential(Step s) {
      if (base64 == null) {
        s.skip("no credential was issued");
        return;
      }
      Instant now = now();
      try {
        credential = MondooCredential.parse(base64, provider.name(), now, config.credentialLifetime());
      } catch (InvalidCredentialException e) {
        s.fail(e.getMessage());
        s.hint("Mondoo's STS answered with something that is not a service-account credential: check that "
            + "mondoo.wif.universe-domain names Mondoo's API, not a proxy or another service");
        return;
      }
      s.fact("mrn", credential.mrn())
          .fact("scope", credential.scopeMrn())
          .fact("api_endpoint", credential.apiEndpoint())
          .fact("expires", credential.expiresAt())
          .fact("sha256", credential.fingerprint());
      Instant notAfter = credential.certificate().getNotAfter().toInstant();
      if (!notAfter.isAfter(now)) {
        s.check(Status.WARN, "the certificate's notAfter " + notAfter + " is already past by this host's clock ("
            + now + "); the credential is assumed valid for mondoo.wif.credential-lifetime. This host's clock may "
            + "be ahead");
      } else {
        s.check(Status.OK, "valid for " + human(Duration.between(now, credential.expiresAt()))
            + " (the certificate's notAfter)");
      }
    }

    // 6 ------------------------------------------------------------------------------------------------
    private void clock(Step s) {
      MondooApiClient.Builder b = MondooApiClient.builder()
          .universeDomain(config.universeDomain())
          .timeout(config.requestTimeout())
          .clock(ctx.clock);
      if (credential != null) {
        b.credential(credential);
      }
      api = b.build();
      String endpoint = api.endpoint();
      s.fact("endpoint", endpoint + MondooApiClient.HEALTH_PATH);
      Instant before = now();
      MondooApiClient.Health health;
      try {
        health = api.health();
      } catch (MondooApiException e) {
        s.fail(e.getMessage());
        s.hint(e.status() == 0
            ? "Mondoo's API could not be reached: check network access and any proxy to " + endpoint
            : "Mondoo's API answered unexpectedly: check mondoo.wif.universe-domain (" + config.universeDomain() + ")");
        return;
      }
      Instant after = now();
      Instant local = before.plus(Duration.between(before, after).dividedBy(2));
      s.fact("status", health.status())
          .fact("version", health.version())
          .fact("apiVersion", health.apiVersion())
          .fact("build", health.build())
          .fact("server time", health.timeText())
          .fact("local time", local);
      if (health.status() != null && !"SERVING".equals(health.status())) {
        s.check(Status.WARN, "Health/Check says " + health.status() + ", not SERVING");
      }
      Duration offset = health.clockOffset(local);
      if (offset == null) {
        s.check(Status.WARN, "Health/Check sent no time, so the clock could not be compared");
        return;
      }
      s.fact("difference", (offset.isNegative() ? "-" : "+") + human(offset.abs()) + " (Mondoo minus this host)");
      if (offset.abs().compareTo(API_CLOCK_TOLERANCE) > 0) {
        s.check(Status.WARN, "clock skew: this host's clock is " + human(offset.abs())
            + (offset.isNegative() ? " ahead of" : " behind") + " Mondoo's (more than 30 s)");
        s.hint("sync this host's clock (NTP): signed requests are valid for 60 s, and token times are checked");
      } else {
        s.check(Status.OK, "this host's clock agrees with Mondoo's within 30 s");
      }
    }

    // 7 ------------------------------------------------------------------------------------------------
    private void pingPong(Step s) {
      if (credential == null) {
        s.skip("no credential to sign with");
        return;
      }
      s.fact("endpoint", api.endpoint() + MondooApiClient.PING_PONG_PATH).fact("signed by", credential.mrn());
      try {
        api.pingPong();
        s.check(Status.OK, "Mondoo accepted a request signed with the credential");
      } catch (MondooApiException e) {
        s.fact("status", e.status() == 0 ? "no response" : "HTTP " + e.status());
        s.fact("code", e.code());
        s.fact("message", e.serverMessage());
        s.fail(e.getMessage());
        if (e.status() == 401) {
          s.hint("a fresh credential that Mondoo refuses usually means this host's clock is off (see the clock "
              + "step) or the service account was deleted meanwhile");
        }
      } catch (MondooWifException e) {
        s.fail(e.getMessage());
      }
    }
  }

  /** {@code 2h 5m}, {@code 3m 20s}, {@code 45s}, {@code 250ms}. */
  static String human(Duration d) {
    long ms = d.abs().toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = (ms + 500) / 1000; // to the nearest second: a network round trip blurs the rest
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) {
      return h + "h" + (m > 0 ? " " + m + "m" : "");
    }
    if (m > 0) {
      return m + "m" + (sec > 0 ? " " + sec + "s" : "");
    }
    return sec + "s";
  }
}
