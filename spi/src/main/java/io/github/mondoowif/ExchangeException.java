package io.github.mondoowif;

import java.time.Instant;

/**
 * Mondoo's Secure Token Service refused the exchange, or could not be reached.
 *
 * <p>It carries what is needed to fix a binding: the HTTP status, Mondoo's {@code code} and
 * {@code message} (or a bounded excerpt of a non-JSON body), the audience and issuer that were sent, and
 * the subject token's own {@code iss}, {@code aud}, {@code sub} and {@code exp} claims, decoded without
 * verification. It never carries the token itself.
 */
public final class ExchangeException extends MondooWifException {
  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final int status;
  private final Integer code;
  private final String serverMessage;
  private final String audience;
  private final String issuer;
  private final String tokenIssuer;
  private final String tokenAudience;
  private final String tokenSubject;
  private final Instant tokenExpiresAt;
  private final boolean retryable;

  private ExchangeException(Builder b, String message, Throwable cause) {
    super(message, cause);
    this.endpoint = b.endpoint;
    this.status = b.status;
    this.code = b.code;
    this.serverMessage = b.serverMessage;
    this.audience = b.audience;
    this.issuer = b.issuer;
    this.tokenIssuer = b.tokenIssuer;
    this.tokenAudience = b.tokenAudience;
    this.tokenSubject = b.tokenSubject;
    this.tokenExpiresAt = b.tokenExpiresAt;
    this.retryable = b.retryable;
  }

  /** The STS URL that was called. */
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

  /** Mondoo's {@code message}, or a bounded, sanitised excerpt of a non-JSON body; may be {@code null}. */
  public String serverMessage() {
    return serverMessage;
  }

  public String audience() {
    return audience;
  }

  public String issuer() {
    return issuer;
  }

  /** The subject token's {@code iss} claim, or {@code null} when it could not be decoded. */
  public String tokenIssuer() {
    return tokenIssuer;
  }

  public String tokenAudience() {
    return tokenAudience;
  }

  public String tokenSubject() {
    return tokenSubject;
  }

  public Instant tokenExpiresAt() {
    return tokenExpiresAt;
  }

  /** Whether a later attempt may succeed (429, 5xx, I/O) as opposed to a binding mismatch (4xx). */
  public boolean retryable() {
    return retryable;
  }

  /** Internal: use by the exchange code. */
  public static Builder builder() {
    return new Builder();
  }

  /** Assembles an {@link ExchangeException}; the message is composed by the caller. */
  public static final class Builder {
    private String endpoint;
    private int status;
    private Integer code;
    private String serverMessage;
    private String audience;
    private String issuer;
    private String tokenIssuer;
    private String tokenAudience;
    private String tokenSubject;
    private Instant tokenExpiresAt;
    private boolean retryable;

    private Builder() {}

    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    public Builder code(Integer code) {
      this.code = code;
      return this;
    }

    public Builder serverMessage(String serverMessage) {
      this.serverMessage = serverMessage;
      return this;
    }

    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    public Builder tokenClaims(String iss, String aud, String sub, Instant exp) {
      this.tokenIssuer = iss;
      this.tokenAudience = aud;
      this.tokenSubject = sub;
      this.tokenExpiresAt = exp;
      return this;
    }

    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    public ExchangeException build(String message, Throwable cause) {
      return new ExchangeException(this, message, cause);
    }
  }
}
