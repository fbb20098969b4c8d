package io.github.mondoowif.internal.azure;

/**
 * Marks built-in Azure providers. On these, {@code mondoo.wif.issuer} may be omitted: the token's own
 * {@code iss} is used, with a log line saying so. Internal.
 */
public interface AzureSource {}
