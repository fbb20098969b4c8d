package io.github.mondoowif;

/**
 * Mondoo's STS answered 200 but the {@code base64_credential} is unusable: not base64, not a JSON object,
 * a missing field, or a PEM block that does not parse.
 */
public final class InvalidCredentialException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  public InvalidCredentialException(String message) {
    super(message);
  }

  public InvalidCredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
