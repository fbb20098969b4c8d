package io.github.mondoowif;

/**
 * Hears about credential changes of one {@link MondooCredentials} instance: the agent uses this to update
 * its system property, child environments and file.
 *
 * <p>Called on the thread that completed the refresh, in the order listeners were added. Keep it quick and
 * non-blocking. A listener that throws is logged and does not disturb the others.
 */
@FunctionalInterface
public interface CredentialListener {

  /** A new credential is now current. */
  void onCredential(MondooCredential credential);

  /**
   * A refresh failed. Called once per failed attempt; {@code consecutiveFailures} counts from 1.
   *
   * @param stillValid whether a valid credential is still being served
   */
  default void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {}
}
