package io.github.mondoowif.robustness;

import io.github.mondoowif.testing.FakeMondoo;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets the robustness fakes hand out, each registered with {@link Witness} as it is made. One RSA
 * key signs every JWT: generating one per token costs a second on a busy machine.
 */
final class Planted {
  /** Fake time starts here in every robustness test. */
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final String RESOURCE = "api://mondoo-wif";
  static final String TENANT = "00000000-1111-2222-3333-444444444444";
  private static final KeyPair RSA = FakeMondoo.rsa();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The Azure managed-identity token every Azure fake hands out: valid a day from {@link #T0}. */
  static final String AZURE_JWT = azureJwt(T0.plus(Duration.ofDays(1)));
  /** App Service's {@code IDENTITY_HEADER}. */
  static final String IDENTITY_HEADER = Witness.plant("ih-" + hex(24));
  /** The content of an Azure Arc key file. */
  static final String ARC_KEY = Witness.plant(hex(32));
  /** A Kubernetes projected service-account token: the workload-identity client assertion. */
  static final String ASSERTION = jwt(Map.of("iss", "https://oidc.example.test/cluster", "sub",
      "system:serviceaccount:apps:payments", "aud", "api://AzureADTokenExchange", "exp",
      T0.plus(Duration.ofHours(1)).getEpochSecond()));

  private Planted() {}

  static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A signed JWT with {@code claims}, planted. */
  static String jwt(Map<String, Object> claims) {
    return Witness.plant(FakeMondoo.jwt(claims, RSA));
  }

  /** An Azure v1 managed-identity token for {@link #RESOURCE} that expires at {@code exp}, planted. */
  static String azureJwt(Instant exp) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", RESOURCE);
    c.put("iss", "https://sts.windows.net/" + TENANT + "/");
    c.put("iat", exp.minusSeconds(86400).getEpochSecond());
    c.put("exp", exp.getEpochSecond());
    c.put("oid", "11111111-2222-3333-4444-555555555555");
    c.put("sub", "11111111-2222-3333-4444-555555555555");
    c.put("tid", TENANT);
    return jwt(c);
  }

  /** An OIDC token as a file source would hold it: issuer, subject and audience, expiring at {@code exp}. */
  static String fileJwt(String subject, Instant exp) {
    return jwt(Map.of("iss", "https://oidc.example.test", "sub", subject, "aud", "mondoo", "iat",
        exp.minusSeconds(3600).getEpochSecond(), "exp", exp.getEpochSecond()));
  }

  /** An Azure token without an {@code exp} claim: its expiry must come from the response, or nowhere. */
  static String azureJwtWithoutExp() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", RESOURCE);
    c.put("iss", "https://sts.windows.net/" + TENANT + "/");
    c.put("sub", "11111111-2222-3333-4444-555555555555");
    return jwt(c);
  }
}
