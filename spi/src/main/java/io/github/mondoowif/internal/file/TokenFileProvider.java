package io.github.mondoowif.internal.file;

import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Any OIDC JWT kept in a file by something else: a Kubernetes projected service-account token, a SPIFFE
 * JWT-SVID, a CI system's token. Applies only when {@code mondoo.wif.token-file} names the file, and then
 * ahead of every detected source. The file is read again for every exchange, because its writer rotates
 * it; the token is therefore never reused. Internal.
 */
public final class TokenFileProvider implements CredentialProvider {
  public static final String NAME = "token-file";
  private static final String SETTING = ConfigKeys.PREFIX + ConfigKeys.TOKEN_FILE;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    Optional<String> file = context.config().setting(ConfigKeys.TOKEN_FILE);
    if (file.isEmpty()) {
      return Applicability.notApplicable(SETTING + " is not set");
    }
    return Applicability.applicable(SETTING + " = " + file.get() + " (from "
        + context.config().originOf(ConfigKeys.TOKEN_FILE) + ")");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    String value = context.config().setting(ConfigKeys.TOKEN_FILE).orElse(null);
    if (value == null) {
      throw new TokenSourceException(NAME, SETTING + " is not set; name the file that holds the token");
    }
    Path file = TokenFiles.path(NAME, SETTING, value);
    String jwt = TokenFiles.readJwt(NAME, file, SETTING);
    Instant exp = TokenFiles.expiry(jwt);
    Instant now = Instant.now(context.clock());
    if (exp != null && !exp.isAfter(now)) {
      throw new TokenSourceException(NAME, file.toString(), 0, true,
          "the token in " + file + " expired at " + exp + " (now " + now + "): whatever writes the file "
              + "(the kubelet, a SPIFFE helper) is not refreshing it", null);
    }
    return SubjectToken.of(jwt, exp).notReusable();
  }
}
