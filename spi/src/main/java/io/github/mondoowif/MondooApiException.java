package io.github.mondoowif;

/**
 * A call to Mondoo's API failed: no answer, or an answer other than 2xx. Carries the endpoint, the HTTP
 * status (0 when no response came), and Mondoo's google.rpc {@code code} and {@code message} when the body
 * had them (or a bounded, sanitised excerpt of a body that was not JSON).
 */
public final class MondooApiException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final int status;
  private final Integer code;
  private final String serverMessage;

  public MondooApiException(String endpoint, int status, Integer code, String serverMessage, String message,
      Throwable cause) {
    super(message, cause);
    this.endpoint = endpoint;
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }

  /** The URL that was called. */
  public String endpoint() {
    return endpoint;
  }

  /** The HTTP status, or 0 when no response arrived (I/O error, timeout). */
  public int status() {
    return status;
  }

  /** Mondoo's google.rpc {@code code}, or {@code null} when the body had none. */
  public Integer code() {
    return code;
  }

  /** Mondoo's {@code message}, or a sanitised excerpt of a non-JSON body; may be {@code null}. */
  public String serverMessage() {
    return serverMessage;
  }
}
