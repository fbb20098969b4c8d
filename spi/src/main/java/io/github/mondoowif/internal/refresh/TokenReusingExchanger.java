package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.CredentialExchange;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.azure.AzureSource;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.SubjectToken;

/**
 * The production {@link Exchanger}: a {@link CredentialExchange} whose subject token is reused from a
 * {@link SubjectTokenCache} while it has enough life left. When the STS refuses a reused token (a 4xx
 * other than 429), the token is dropped so the next attempt fetches a new one. Internal.
 */
public final class TokenReusingExchanger implements Exchanger {
  private final CredentialExchange exchange;
  private final SubjectTokenCache tokens;

  public TokenReusingExchanger(CredentialExchange exchange, SubjectTokenCache tokens) {
    this.exchange = exchange;
    this.tokens = tokens;
  }

  @Override
  public MondooCredential exchange() throws MondooWifException {
    CredentialProvider provider = exchange.provider();
    String name = provider.name();
    String resource = resource(provider, exchange.runtime().config());
    SubjectToken token = tokens.reusable(name, resource);
    if (token != null) {
      Log.debug("reusing the " + name + " subject token sha256=" + token.fingerprint() + " (expires "
          + token.expiresAt().map(Object::toString).orElse("?") + ")");
    } else {
      token = exchange.fetchToken();
      tokens.offer(name, resource, token);
    }
    try {
      return exchange.exchange(token);
    } catch (ExchangeException e) {
      if (e.status() >= 400 && e.status() < 500 && e.status() != 429) {
        tokens.invalidate(name, resource);
      }
      throw e;
    }
  }

  /**
   * What, besides the provider, shapes its token. The cache belongs to one configuration, so this only
   * needs to be stable; it is the token's audience for clarity in diagnostics.
   */
  static String resource(CredentialProvider provider, MondooWifConfig config) {
    return provider instanceof AzureSource ? config.azureResource() : config.audience();
  }
}
