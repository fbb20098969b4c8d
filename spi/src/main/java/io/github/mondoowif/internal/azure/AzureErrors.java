package io.github.mondoowif.internal.azure;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.spi.TokenSourceException;
import java.util.List;
import java.util.Map;

/** Words for a failed Azure token request, after the table in azure-token-sources.md. Internal. */
public final class AzureErrors {
  /** Docker Desktop answers this for 169.254.169.254 when there is no Azure underneath. */
  static final String UNREACHABLE_NETWORK = "unreachable network";

  private AzureErrors() {}

  /**
   * @param asked what was requested ("resource https://…")
   * @param identity which identity was asked for ("system identity", "client_id 1234…")
   */
  public static TokenSourceException failure(
      String source, String describe, HttpResult result, String asked, String identity) {
    int s = result.status;
    String detail = AzureTokenResponse.describeError(result.body);
    String attempts = result.attempts > 1 ? " after " + result.attempts + " attempts" : "";
    String hint;
    if (result.redirectHint() != null) {
      hint = result.redirectHint();
    } else if (s == 400) {
      hint = "the endpoint knows no such identity or resource: check that the " + identity
          + " is assigned to this host and that " + asked + " is right (mondoo.wif.azure.resource)";
    } else if (s == 403 && result.body != null && result.body.contains(UNREACHABLE_NETWORK)) {
      hint = "no Azure metadata service is reachable from here (Docker Desktop answers this off Azure): "
          + "run on Azure, or choose another source with mondoo.wif.source";
    } else if (s == 401 || s == 403) {
      hint = "the request was refused: check that the " + identity + " is allowed to get tokens for " + asked;
    } else if (s == 410) {
      hint = "the metadata service is upgrading and did not come back within 70 s";
    } else if (s == 429) {
      hint = "throttled by the metadata service; another process on this host may be asking too often";
    } else if (RetryPolicy.transientStatus(s)) {
      hint = "the metadata endpoint kept failing; it usually recovers on its own";
    } else {
      hint = "unexpected answer from the metadata endpoint";
    }
    boolean retryable = RetryPolicy.transientStatus(s) || s == 410;
    return new TokenSourceException(source, describe, s, retryable,
        describe + " → HTTP " + s + attempts + ": " + detail + ". " + hint, null);
  }

  /**
   * A failed client-credentials request at Entra ID's token endpoint (workload identity). Entra answers
   * {@code {"error","error_description","error_codes":[…]}}; the two codes people hit most get a
   * sentence of their own. The description is excerpted and token-redacted: it never echoes the
   * assertion, but an intermediary's error page might.
   */
  public static TokenSourceException entraFailure(String source, String describe, HttpResult result) {
    int s = result.status;
    String attempts = result.attempts > 1 ? " after " + result.attempts + " attempts" : "";
    String error = null;
    String description = null;
    List<?> codes = List.of();
    try {
      Map<String, Object> json = Json.parseObject(result.body);
      error = json.get("error") instanceof String ? (String) json.get("error") : null;
      description = json.get("error_description") instanceof String ? (String) json.get("error_description") : null;
      codes = json.get("error_codes") instanceof List ? (List<?>) json.get("error_codes") : List.of();
    } catch (MalformedJsonException ignored) {
      // not Entra's JSON: an excerpt follows
    }
    String detail = error == null && description == null
        ? AzureTokenResponse.describeError(result.body)
        : Secrets.excerpt((error == null ? "" : error + ": ") + (description == null ? "" : description), 400);
    boolean expiredAssertion = hasCode(codes, description, 700024);
    String hint;
    boolean retryable = RetryPolicy.transientStatus(s);
    if (result.redirectHint() != null) {
      hint = result.redirectHint();
    } else if (hasCode(codes, description, 70021)) {
      hint = "AADSTS70021: no federated identity credential of the app matches the presented token. Check the "
          + "federated credential's issuer (the cluster's OIDC issuer URL), subject "
          + "(system:serviceaccount:<namespace>:<service-account>) and audience (api://AzureADTokenExchange)";
    } else if (expiredAssertion) {
      hint = "AADSTS700024: the client assertion has expired: the projected token file "
          + "(AZURE_FEDERATED_TOKEN_FILE) is stale; the kubelet rotates it, so check that the volume is still "
          + "projected and the pod's clock is right";
      retryable = true;
    } else if (hasCode(codes, description, 700016)) {
      hint = "AADSTS700016: no application with that client id in the tenant: check AZURE_CLIENT_ID "
          + "(or mondoo.wif.azure.client-id) and AZURE_TENANT_ID";
    } else if (s == 400 || s == 401) {
      hint = "Entra ID refused the workload identity exchange: check the app's federated credential, "
          + "AZURE_CLIENT_ID and AZURE_TENANT_ID, and that mondoo.wif.azure.resource is an application it may "
          + "get tokens for";
    } else if (RetryPolicy.transientStatus(s)) {
      hint = "Entra ID kept failing; it usually recovers on its own";
    } else {
      hint = "unexpected answer from Entra ID";
    }
    return new TokenSourceException(source, describe, s, retryable,
        describe + " → HTTP " + s + attempts + ": " + detail + ". " + hint, null);
  }

  private static boolean hasCode(List<?> codes, String description, long code) {
    for (Object c : codes) {
      if (c instanceof Number && ((Number) c).longValue() == code) {
        return true;
      }
    }
    return description != null && description.startsWith("AADSTS" + code + ":");
  }
}
