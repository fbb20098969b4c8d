package io.github.mondoowif.internal;

/**
 * The one place that explains an issuer mismatch between the binding and the subject token, used by the
 * exchange's errors and by {@code doctor}. Internal.
 */
public final class IssuerHints {
  private IssuerHints() {}

  /** A sentence explaining how the two differ, or {@code null} when they are equal or either is unknown. */
  public static String mismatch(String configured, String tokenIss) {
    if (configured == null || tokenIss == null || configured.equals(tokenIss)) {
      return null;
    }
    String a = strip(configured);
    String b = strip(tokenIss);
    if (a.equals(b)) {
      return tokenIss.endsWith("/")
          ? "the token's iss is `" + tokenIss + "` with a trailing slash; the configured issuer is `" + configured
              + "` without one. Make the binding's issuer and mondoo.wif.issuer match the token exactly"
          : "the token's iss is `" + tokenIss + "` without a trailing slash; the configured issuer is `" + configured
              + "` with one. Make the binding's issuer and mondoo.wif.issuer match the token exactly";
    }
    boolean tokenV2 = tokenIss.contains("login.microsoftonline.com") && tokenIss.contains("/v2.0");
    boolean confV2 = configured.contains("login.microsoftonline.com") && configured.contains("/v2.0");
    boolean tokenV1 = tokenIss.contains("sts.windows.net");
    boolean confV1 = configured.contains("sts.windows.net");
    if (tokenV1 && confV2) {
      return "the token is an Entra v1 token (iss `" + tokenIss + "`) but the configured issuer is the v2 form `"
          + configured + "`. Use the v1 issuer, or set accessTokenAcceptedVersion: 2 on the Entra app";
    }
    if (tokenV2 && confV1) {
      return "the token is an Entra v2 token (iss `" + tokenIss + "`) but the configured issuer is the v1 form `"
          + configured + "`. Use the v2 issuer https://login.microsoftonline.com/<tenant>/v2.0";
    }
    return "the token's iss is `" + tokenIss + "` but the configured issuer is `" + configured + "`";
  }

  private static String strip(String s) {
    String r = s.trim();
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
