package io.github.mondoowif.internal.azure;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.spi.TokenSourceException;

/**
 * Which managed identity a request asks for: the system-assigned one, or a user-assigned one named by
 * exactly one of {@code mondoo.wif.azure.client-id}, {@code .object-id} or {@code .msi-res-id}. Each
 * endpoint spells the query parameter differently, so the providers map {@link Selector} themselves.
 * Internal.
 */
final class ManagedIdentity {
  /** How a user-assigned identity is named. */
  enum Selector {
    CLIENT_ID(ConfigKeys.AZURE_CLIENT_ID, "client id"),
    OBJECT_ID(ConfigKeys.AZURE_OBJECT_ID, "object id"),
    RESOURCE_ID(ConfigKeys.AZURE_MSI_RES_ID, "resource id");

    final String key;
    final String words;

    Selector(String key, String words) {
      this.key = key;
      this.words = words;
    }
  }

  static final ManagedIdentity SYSTEM = new ManagedIdentity(null, null);

  final Selector selector;
  final String value;

  private ManagedIdentity(Selector selector, String value) {
    this.selector = selector;
    this.value = value;
  }

  /** The identity the configuration asks for; more than one selector is a mistake worth stopping for. */
  static ManagedIdentity from(String source, MondooWifConfig config) throws TokenSourceException {
    ManagedIdentity found = SYSTEM;
    int count = 0;
    if (config.azureClientId() != null) {
      found = new ManagedIdentity(Selector.CLIENT_ID, config.azureClientId());
      count++;
    }
    if (config.azureObjectId() != null) {
      found = new ManagedIdentity(Selector.OBJECT_ID, config.azureObjectId());
      count++;
    }
    if (config.azureMsiResId() != null) {
      found = new ManagedIdentity(Selector.RESOURCE_ID, config.azureMsiResId());
      count++;
    }
    if (count > 1) {
      throw new TokenSourceException(source,
          "set only one of mondoo.wif.azure.client-id, mondoo.wif.azure.object-id and mondoo.wif.azure.msi-res-id");
    }
    return found;
  }

  boolean system() {
    return selector == null;
  }

  /**
   * Stops a request for a user-assigned identity at a source that can only give the system one: silently
   * handing out a different identity would fail later at Mondoo with a far more confusing error.
   */
  ManagedIdentity requireSystem(String source, String sourceWords) throws TokenSourceException {
    if (!system()) {
      throw new TokenSourceException(source,
          sourceWords + " gives only the system-assigned identity, but " + ConfigKeys.PREFIX + selector.key
              + " asks for a user-assigned one: unset it, or assign the identity where a source supports it");
    }
    return this;
  }

  /** "system-assigned identity" or "user-assigned identity with client id 1234…". */
  String describe() {
    return system() ? "system-assigned identity" : "user-assigned identity with " + selector.words + " " + value;
  }

  @Override
  public String toString() {
    return describe();
  }
}
