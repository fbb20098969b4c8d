package io.github.mondoowif.spi;

import io.github.mondoowif.MondooWifException;

/**
 * A provider applied but could not produce a subject token. This is final for the current attempt: the
 * library never falls through to another identity source after it.
 *
 * <p>The message must name the source, the endpoint (or file), the HTTP status when there was one, and
 * the likely cause. It must never contain a token or a header secret.
 */
public class TokenSourceException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String endpoint;
  private final int status;
  private final boolean retryable;

  /**
   * @param source the provider's {@link CredentialProvider#name()}
   * @param endpoint the URL or file that was read, or {@code null}
   * @param status the HTTP status, or 0 when there was no response
   * @param retryable whether a later attempt may succeed (throttling, 5xx, I/O)
   */
  public TokenSourceException(
      String source, String endpoint, int status, boolean retryable, String message, Throwable cause) {
    super("[" + source + "] " + message, cause);
    this.source = source;
    this.endpoint = endpoint;
    this.status = status;
    this.retryable = retryable;
  }

  public TokenSourceException(String source, String message) {
    this(source, null, 0, false, message, null);
  }

  public String source() {
    return source;
  }

  public String endpoint() {
    return endpoint;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }
}
