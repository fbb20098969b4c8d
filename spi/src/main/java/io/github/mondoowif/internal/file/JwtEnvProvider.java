package io.github.mondoowif.internal.file;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A static token handed over by the environment, the convention of Mondoo's own CLI: the
 * {@code JWT_TOKEN} environment variable, or {@code mondoo.wif.jwt-token} (the console file's
 * {@code jwtToken}). Like Mondoo's CLI, {@code JWT_TOKEN} wins over a token from the WIF file; a
 * {@code mondoo.wif.jwt-token} set explicitly (environment {@code MONDOO_WIF_JWT_TOKEN}, system property,
 * builder) wins over {@code JWT_TOKEN}.
 *
 * <p>Nothing can refresh such a token: once its {@code exp} passes, exchanges fail. A warning says so once
 * per provider instance. Internal.
 */
public final class JwtEnvProvider implements CredentialProvider {
  public static final String NAME = "jwt-env";
  static final String ENV = "JWT_TOKEN";
  private static final String SETTING = ConfigKeys.PREFIX + ConfigKeys.JWT_TOKEN;

  private final AtomicBoolean warned = new AtomicBoolean();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    String origin = origin(context);
    return origin == null
        ? Applicability.notApplicable(ENV + " and " + SETTING + " are not set")
        : Applicability.applicable("a static token is set by " + origin);
  }

  /** Where the token comes from, or {@code null} when there is none. */
  private static String origin(ProviderContext context) {
    MondooWifConfig config = context.config();
    boolean configured = config.setting(ConfigKeys.JWT_TOKEN).isPresent();
    boolean fromFile = configured && config.originOf(ConfigKeys.JWT_TOKEN).startsWith("file ");
    if (context.env(ENV) != null && (!configured || fromFile)) {
      return "environment " + ENV;
    }
    return configured ? config.originOf(ConfigKeys.JWT_TOKEN) : null;
  }

  private static String token(ProviderContext context, String origin) {
    return origin.equals("environment " + ENV)
        ? context.env(ENV)
        : context.config().setting(ConfigKeys.JWT_TOKEN).orElse(null);
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    String origin = origin(context);
    if (origin == null) {
      throw new TokenSourceException(NAME, ENV + " and " + SETTING + " are not set; there is no static token");
    }
    String jwt = token(context, origin).trim();
    Optional<JwtClaims> claims = JwtClaims.tryDecode(jwt);
    if (claims.isEmpty()) {
      throw new TokenSourceException(NAME, "the static token from " + origin + " is not a JWT (sha256="
          + Secrets.fingerprint(jwt) + ", " + jwt.length() + " characters)");
    }
    Instant exp = claims.get().expiresAt();
    Instant now = Instant.now(context.clock());
    if (exp != null && !exp.isAfter(now)) {
      throw new TokenSourceException(NAME, null, 0, false,
          "the static token from " + origin + " (sha256=" + Secrets.fingerprint(jwt) + ") expired at " + exp
              + " (now " + now + "); a static token cannot be refreshed: give a new one, or use a source that "
              + "refreshes (mondoo.wif.token-file, or the platform's own identity)", null);
    }
    if (warned.compareAndSet(false, true)) {
      Log.warn("jwt-env: using the static token from " + origin + " (sha256=" + Secrets.fingerprint(jwt) + ")"
          + (exp == null ? ", which has no exp claim" : ", valid until " + exp)
          + "; it cannot be refreshed, so exchanges fail once it expires. For long-running workloads use "
          + "mondoo.wif.token-file or the platform's own identity");
    }
    return SubjectToken.of(jwt, exp);
  }
}
