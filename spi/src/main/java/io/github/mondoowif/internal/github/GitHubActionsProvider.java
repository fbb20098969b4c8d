package io.github.mondoowif.internal.github;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * A GitHub Actions job's OIDC token: {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>} with
 * {@code Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN}, answered {@code {"value":"<jwt>"}}. The
 * audience is the Mondoo audience unless {@code mondoo.wif.github.audience} says otherwise. The issuer
 * the Mondoo binding needs is {@code https://token.actions.githubusercontent.com}.
 *
 * <p>GitHub sets the two variables only for jobs with {@code permissions: id-token: write}. This provider
 * claims a job as soon as the URL is set, so that a job missing the request token is told exactly that
 * instead of falling through to whatever identity the runner's machine has. GitHub's endpoint is remote,
 * so requests go through the application's proxy. Internal.
 */
public final class GitHubActionsProvider implements CredentialProvider {
  public static final String NAME = "github-actions";
  static final String URL_ENV = "ACTIONS_ID_TOKEN_REQUEST_URL";
  static final String TOKEN_ENV = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  static final String PERMISSION_HINT =
      "the workflow lacks \"permissions: id-token: write\" (add it to the job or the workflow)";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 700;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    if (context.env(URL_ENV) == null) {
      if ("true".equalsIgnoreCase(String.valueOf(context.env("GITHUB_ACTIONS")))) {
        return Applicability.notApplicable(
            URL_ENV + " is not set although this is a GitHub Actions job: " + PERMISSION_HINT);
      }
      return Applicability.notApplicable(URL_ENV + " is not set");
    }
    if (context.env(TOKEN_ENV) == null) {
      return Applicability.applicable(URL_ENV + " is set (GitHub Actions) but " + TOKEN_ENV + " is not");
    }
    return Applicability.applicable(URL_ENV + " and " + TOKEN_ENV + " are set (GitHub Actions)");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    ProviderRuntime rt = ProviderRuntime.of(context);
    MondooWifConfig config = context.config();
    String urlValue = context.env(URL_ENV);
    if (urlValue == null) {
      throw new TokenSourceException(NAME, URL_ENV + " is not set: not a GitHub Actions job, or " + PERMISSION_HINT);
    }
    String bearer = context.env(TOKEN_ENV);
    if (bearer == null) {
      throw new TokenSourceException(NAME, URL_ENV + " is set but " + TOKEN_ENV + " is not: " + PERMISSION_HINT);
    }
    HttpUrl base = HttpUrl.parse(urlValue.trim());
    if (base == null) {
      throw new TokenSourceException(NAME, URL_ENV + " is not an http(s) URL: \"" + urlValue.trim() + "\"");
    }
    String audience = config.setting(ConfigKeys.GITHUB_AUDIENCE).orElse(config.audience());
    HttpUrl url = base.newBuilder().addQueryParameter("audience", audience).build();
    // OkHttp never quotes an Authorization value in its errors, but a stray newline would still fail there.
    String value = bearer.trim();
    if (value.chars().anyMatch(c -> c < 0x20 || c >= 0x7f)) {
      throw new TokenSourceException(NAME, TOKEN_ENV + " holds a character that cannot go into an HTTP header");
    }
    Request request = new Request.Builder().url(url).header("Authorization", "bearer " + value).get().build();
    String describe = "GET " + base.newBuilder().query(null).build();
    MetadataCall call = new MetadataCall(
        HttpClients.sts(config.requestTimeout()), rt.retryPolicy(), rt.sleeper(), rt.clock(), rt.random());
    HttpResult result = call.execute(NAME, request, describe);
    if (!result.successful()) {
      throw failure(describe, result, audience);
    }
    return parse(describe, result.body);
  }

  private static SubjectToken parse(String describe, String body) throws TokenSourceException {
    Map<String, Object> json;
    try {
      json = Json.parseObject(body);
    } catch (MalformedJsonException e) {
      throw new TokenSourceException(NAME, describe, 200, true,
          describe + " answered 200 with a body that is not JSON: " + e.getMessage()
              + (body.isBlank() ? "" : "; body starts: " + Secrets.excerpt(body, 120)), null);
    }
    Object value = json.get("value");
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw new TokenSourceException(NAME, describe, 200, false,
          describe + " answered 200 without a \"value\"; fields present: " + json.keySet(), null);
    }
    String jwt = ((String) value).trim();
    Optional<JwtClaims> claims = JwtClaims.tryDecode(jwt);
    if (claims.isEmpty()) {
      throw new TokenSourceException(NAME, describe, 200, false,
          describe + " returned a \"value\" that is not a JWT (sha256=" + Secrets.fingerprint(jwt) + ")", null);
    }
    return SubjectToken.of(jwt, claims.get().expiresAt());
  }

  private static TokenSourceException failure(String describe, HttpResult result, String audience) {
    int s = result.status;
    String hint;
    if (result.redirectHint() != null) {
      hint = result.redirectHint();
    } else if (s == 401 || s == 403) {
      hint = "GitHub refused " + TOKEN_ENV + ": it is valid only while its job runs, and only for a job with "
          + "\"permissions: id-token: write\"";
    } else if (s == 400) {
      hint = "GitHub refused the request; check the audience \"" + audience + "\" ("
          + ConfigKeys.PREFIX + ConfigKeys.GITHUB_AUDIENCE + ")";
    } else if (RetryPolicy.transientStatus(s)) {
      hint = "GitHub's token service kept failing; it usually recovers on its own";
    } else {
      hint = "unexpected answer from GitHub's token service";
    }
    String attempts = result.attempts > 1 ? " after " + result.attempts + " attempts" : "";
    return new TokenSourceException(NAME, describe, s, RetryPolicy.transientStatus(s),
        describe + " → HTTP " + s + attempts + ": " + (result.body.isBlank() ? "empty body" : "body: "
            + Secrets.excerpt(result.body, 200)) + ". " + hint, null);
  }
}
