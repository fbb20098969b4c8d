package io.github.mondoowif;

/**
 * Base of every checked exception this library throws: the credential could not be produced.
 *
 * <p>Messages name what failed and what to check. They never contain a token, an assertion, a header
 * secret, a private key or a credential; where correlation helps they carry a short SHA-256 fingerprint.
 */
public class MondooWifException extends Exception {
  private static final long serialVersionUID = 1L;

  public MondooWifException(String message) {
    super(message);
  }

  public MondooWifException(String message, Throwable cause) {
    super(message, cause);
  }
}
