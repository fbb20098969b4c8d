package io.github.mondoowif.internal.azure;

import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.internal.time.Expiries;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import okhttp3.Request;

/**
 * Reads the JSON every Azure token source answers with ({@code access_token} plus an expiry in one of many
 * shapes) and the JSON errors they send. Internal.
 */
public final class AzureTokenResponse {
  private AzureTokenResponse() {}

  /**
   * Parses a successful body. The expiry is the JWT's own {@code exp} when it has one (the final word),
   * else {@code expires_on} in any known format, else {@code expires_in}.
   */
  public static SubjectToken parse(String source, String endpoint, String body, Instant now)
      throws TokenSourceException {
    Map<String, Object> json;
    try {
      json = Json.parseObject(body);
    } catch (MalformedJsonException e) {
      throw new TokenSourceException(source, endpoint, 200, true,
          endpoint + " answered 200 with a body that is not a token response: " + e.getMessage()
              + (body.isBlank() ? "" : "; body starts: " + Secrets.excerpt(body, 120)), null);
    }
    Object token = json.get("access_token");
    if (!(token instanceof String) || ((String) token).isBlank()) {
      throw new TokenSourceException(source, endpoint, 200, false,
          endpoint + " answered 200 without an access_token; fields present: " + json.keySet(), null);
    }
    String jwt = ((String) token).trim();
    Optional<JwtClaims> claims = JwtClaims.tryDecode(jwt);
    if (claims.isEmpty()) {
      throw new TokenSourceException(source, endpoint, 200, false,
          endpoint + " returned an access_token that is not a JWT (sha256=" + Secrets.fingerprint(jwt)
              + "); Mondoo's STS needs a JWT. Check that the endpoint is an Azure managed-identity endpoint", null);
    }
    Instant exp = claims.get().expiresAt();
    if (exp == null) {
      exp = Expiries.parse(json.get("expires_on"));
    }
    if (exp == null) {
      exp = Expiries.parseRelative(json.get("expires_in"), now);
    }
    return SubjectToken.of(jwt, exp);
  }

  /**
   * Sends a managed-identity token request with the retry table and reads the answer: the token, or a
   * failure that names the endpoint, the status, what was asked for and which identity.
   *
   * @param resource the Entra resource requested
   * @param identity which identity was asked for, as {@link ManagedIdentity#describe()} words it
   */
  public static SubjectToken fetch(ProviderRuntime rt, String source, Request request, String describe,
      String resource, String identity) throws TokenSourceException {
    HttpResult result = rt.metadataCall().execute(source, request, describe);
    if (!result.successful()) {
      throw AzureErrors.failure(source, describe, result, "resource " + resource, identity);
    }
    return parse(source, describe, result.body, Instant.now(rt.clock()));
  }

  /**
   * A readable description of an Azure error body: {@code error: error_description}, or the nested
   * {@code {"error":{"code","message"}}} form, or a sanitised excerpt.
   */
  public static String describeError(String body) {
    if (body == null || body.isBlank()) {
      return "empty body";
    }
    try {
      Map<String, Object> json = Json.parseObject(body);
      Object error = json.get("error");
      if (error instanceof Map) {
        Map<?, ?> e = (Map<?, ?>) error;
        return Secrets.excerpt(e.get("code") + ": " + e.get("message"), 300);
      }
      Object description = json.get("error_description");
      if (error != null || description != null) {
        return Secrets.excerpt((error == null ? "" : error + ": ") + (description == null ? "" : description), 300);
      }
      Object message = json.get("message");
      if (message != null) {
        return Secrets.excerpt(String.valueOf(message), 300);
      }
    } catch (MalformedJsonException ignored) {
      // fall through to the excerpt
    }
    return "body: " + Secrets.excerpt(body, 200);
  }
}
