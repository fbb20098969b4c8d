package io.github.mondoowif.internal;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.internal.time.Durations;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.time.Instant;

/**
 * One whole exchange for one configuration: pick the provider (once), fetch its subject token, send it to
 * Mondoo's STS, parse and validate the credential. Not thread-safe: the caller runs one exchange at a time.
 * Internal, may change.
 */
public final class CredentialExchange {
  private final ProviderRuntime runtime;
  private final ProviderRegistry registry;
  private final StsClient sts;
  private volatile CredentialProvider provider;
  private boolean issuerDefaultLogged;
  private boolean expiredCertificateLast;

  public CredentialExchange(ProviderRuntime runtime, ProviderRegistry registry, StsClient sts) {
    this.runtime = runtime;
    this.registry = registry;
    this.sts = sts;
  }

  public ProviderRuntime runtime() {
    return runtime;
  }

  public ProviderRegistry registry() {
    return registry;
  }

  /** The selected provider, selecting it on first use; never changes afterwards. */
  public CredentialProvider provider() throws MondooWifException {
    CredentialProvider p = provider;
    if (p == null) {
      p = registry.select(runtime);
      provider = p;
    }
    return p;
  }

  /** The selected provider's name, or {@code null} before selection. */
  public String providerName() {
    CredentialProvider p = provider;
    return p == null ? null : p.name();
  }

  /** Fetches a fresh subject token from the selected provider. */
  public SubjectToken fetchToken() throws MondooWifException {
    CredentialProvider p = provider();
    try {
      SubjectToken token = p.fetchToken(runtime);
      if (token == null) {
        throw new TokenSourceException(p.name(), "fetchToken() returned null (a bug in the provider)");
      }
      return token;
    } catch (RuntimeException e) {
      throw new TokenSourceException(p.name(), null, 0, false,
          "the provider failed unexpectedly: " + e.getClass().getName(), e);
    }
  }

  /** Exchanges {@code token} (from the selected provider) for a credential. */
  public MondooCredential exchange(SubjectToken token) throws MondooWifException {
    CredentialProvider p = provider();
    MondooWifConfig config = runtime.config();
    String issuer = resolveIssuer(p, token);
    String base64 = sts.exchange(config.universeDomain(), config.audience(), issuer, token);
    MondooCredential credential =
        MondooCredential.parse(base64, p.name(), Instant.now(runtime.clock()), config.credentialLifetime());
    noteExpiredCertificate(credential, config);
    return credential;
  }

  /**
   * A certificate that is already past its notAfter when it arrives gets the configured lifetime instead
   * (mondoo-sts.md §2). That keeps the application running, but it is never normal: the host's clock is
   * usually ahead of Mondoo's. Say so once when it starts, not at every refresh.
   */
  private void noteExpiredCertificate(MondooCredential c, MondooWifConfig config) {
    Instant notAfter = c.certificate().getNotAfter().toInstant();
    boolean expired = notAfter.isBefore(c.expiresAt()) && !notAfter.isAfter(c.obtainedAt());
    if (expired && !expiredCertificateLast) {
      Log.warn("Mondoo's STS issued a credential (sha256=" + c.fingerprint() + ") whose certificate expired at "
          + notAfter + ", before it arrived (now " + c.obtainedAt() + " by this host's clock): the host's clock is "
          + "probably ahead. It is used until " + c.expiresAt() + " per mondoo.wif.credential-lifetime = "
          + Durations.format(config.credentialLifetime()) + " (" + config.originOf(ConfigKeys.CREDENTIAL_LIFETIME)
          + "); check the clock (NTP)");
    } else if (expired) {
      Log.debug("the certificate of credential sha256=" + c.fingerprint() + " expired at " + notAfter
          + "; using mondoo.wif.credential-lifetime");
    }
    expiredCertificateLast = expired;
  }


  private String resolveIssuer(CredentialProvider p, SubjectToken token) throws ConfigException {
    String configured = runtime.config().issuer();
    if (configured != null) {
      return configured;
    }
    if (p instanceof AzureSource) {
      String iss = JwtClaims.tryDecode(token.value()).map(JwtClaims::issuer).orElse(null);
      if (iss != null) {
        if (!issuerDefaultLogged) {
          issuerDefaultLogged = true;
          Log.info("mondoo.wif.issuer is not set; using the " + p.name() + " token's own iss " + iss);
        }
        return iss;
      }
    }
    throw new ConfigException(ConfigKeys.ISSUER,
        "mondoo.wif.issuer is required for the " + p.name() + " source and not set: set the system property "
            + "mondoo.wif.issuer, the environment variable MONDOO_WIF_ISSUER, or \"issuerUri\" in the WIF file");
  }
}
