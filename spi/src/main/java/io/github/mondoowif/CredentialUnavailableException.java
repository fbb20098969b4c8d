package io.github.mondoowif;

/**
 * No valid credential could be handed out within the allowed wait. Its cause is the last refresh failure,
 * when there was one.
 */
public final class CredentialUnavailableException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  public CredentialUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
