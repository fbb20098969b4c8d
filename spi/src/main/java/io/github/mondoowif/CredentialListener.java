package io.github.mondoowif;

/**
 * Hears about credential changes of one {@link MondooCredentials} instance: the agent uses this to update
 * its system property, child environments and file.
 *
 * <p>Called on the thread that completed the refresh (a {@code mondoo-wif-exchange-N} daemon thread), in
 * the order listeners were added, one notification at a time: every listener sees the credentials in the
 * order they were obtained, and a listener added during a refresh sees each credential exactly once. Keep
 * it quick and non-blocking: the next notification waits for it. Asking for a credential from inside a
 * listener never waits; when none is valid it throws at once. A listener that throws is logged and does
 * not disturb the others.
 */
@FunctionalInterface
public interface CredentialListener {

  /** A new credential is now current. */
  void onCredential(MondooCredential credential);

  /**
   * A refresh failed. Called once per failed attempt; {@code consecutiveFailures} counts from 1 and starts
   * again after a success. Attempts are spaced by exponential backoff, so this is not called often.
   *
   * @param error the failure, as thrown by the exchange (its message is safe to log)
   * @param stillValid whether a valid credential is still being served (it then keeps being served)
   */
  default void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {}
}
