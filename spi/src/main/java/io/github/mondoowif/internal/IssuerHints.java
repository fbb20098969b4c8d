package io.github.mondoowif.internal;

/**
 * The one place that explains a mismatch between what is configured (the binding's issuer, the Entra
 * resource) and what the subject token carries, used by the exchange's errors and by {@code doctor}.
 * Internal.
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

  /**
   * An Entra token's version, {@code "v1"} or {@code "v2"}: its {@code ver} claim when present, else the form
   * of its issuer; {@code null} when it is not an Entra token.
   */
  public static String entraVersion(String tokenIss, String ver) {
    if ("1.0".equals(ver)) {
      return "v1";
    }
    if ("2.0".equals(ver)) {
      return "v2";
    }
    if (tokenIss == null) {
      return null;
    }
    if (tokenIss.contains("sts.windows.net")) {
      return "v1";
    }
    if (tokenIss.contains("login.microsoftonline.com") && tokenIss.contains("/v2.0")) {
      return "v2";
    }
    return null;
  }

  /**
   * A sentence explaining why an Azure token's {@code aud} is not the resource (Application ID URI) it was
   * requested for, or {@code null} when they are equal or either is unknown.
   *
   * @param version {@code "v1"}, {@code "v2"} or {@code null}, from {@link #entraVersion}
   */
  public static String azureAudienceMismatch(String resource, String tokenAud, String version) {
    if (resource == null || tokenAud == null || resource.equals(tokenAud)) {
      return null;
    }
    if (strip(resource).equals(strip(tokenAud))) {
      return "the token's aud is `" + tokenAud + "` but mondoo.wif.azure.resource is `" + resource
          + "`: they differ only by a trailing slash. A v1 token carries the resource exactly as requested; use one "
          + "form in the Entra app's Application ID URI, mondoo.wif.azure.resource and the Mondoo binding";
    }
    if ("v2".equals(version)) {
      return "the token is an Entra v2 token, whose aud is the app's client id `" + tokenAud
          + "`, not the Application ID URI `" + resource + "`. Bind the v2 issuer and this aud in Mondoo, or set "
          + "accessTokenAcceptedVersion to 1 (or null) on the Entra app to get v1 tokens";
    }
    return "the token's aud is `" + tokenAud + "` but mondoo.wif.azure.resource (the Application ID URI) is `"
        + resource + "`: the token was issued for another application. Set mondoo.wif.azure.resource to the "
        + "Application ID URI of the Entra app that the Mondoo binding trusts";
  }

  private static String strip(String s) {
    String r = s.trim();
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
