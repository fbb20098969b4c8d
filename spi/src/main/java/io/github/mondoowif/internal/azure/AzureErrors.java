package io.github.mondoowif.internal.azure;

import io.github.mondoowif.internal.http.HttpResult;
import io.github.mondoowif.internal.http.RetryPolicy;
import io.github.mondoowif.spi.TokenSourceException;

/** Words for a failed Azure token request, after the table in azure-token-sources.md. Internal. */
public final class AzureErrors {
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
    if (s == 400) {
      hint = "the endpoint knows no such identity or resource: check that the " + identity
          + " is assigned to this host and that " + asked + " is right (mondoo.wif.azure.resource)";
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
}
