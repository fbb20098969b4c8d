package io.github.mondoowif;

import io.github.mondoowif.internal.signing.RequestSigning;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * An OkHttp interceptor that signs every request for Mondoo's API with the keyless credential, exactly as
 * Mondoo's own clients do: a fresh ES384 bearer token per request, valid for 60 seconds and bound to the
 * request body.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(MondooRequestSigner.create(MondooCredentials.defaultInstance()))
 *     .build();
 * }</pre>
 *
 * <p>Each request asks the source for the current credential, so a long-running client never signs with an
 * expired key. The body is read once and the very bytes that were hashed are sent, so a one-shot body, or
 * one that would write different bytes when read twice, is still signed correctly. Duplex bodies cannot be
 * signed. Add it with {@code addInterceptor} (not as a network interceptor), so it runs once per call.
 *
 * <p>When no credential can be had, the call fails with an {@link IOException} whose cause is the
 * {@link MondooWifException} that says why.
 */
public final class MondooRequestSigner implements Interceptor {

  /** Where the signer gets the credential for each request. */
  @FunctionalInterface
  public interface CredentialSource {
    /** The credential to sign with now; never an expired one. */
    MondooCredential credential() throws MondooWifException;
  }

  private final CredentialSource source;
  private final Clock clock;

  private MondooRequestSigner(CredentialSource source, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Signs with the current credential of {@code credentials}, refreshed as it expires. */
  public static MondooRequestSigner create(MondooCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return new MondooRequestSigner(credentials::credential, Clock.systemUTC());
  }

  /**
   * Signs with whatever {@code source} returns, with timestamps from {@code clock}.
   *
   * @param clock sets {@code iat}, {@code nbf} and {@code exp}; Mondoo rejects tokens from a clock that is off
   */
  public static MondooRequestSigner create(CredentialSource source, Clock clock) {
    return new MondooRequestSigner(source, clock);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    MondooCredential credential;
    try {
      credential = source.credential();
    } catch (MondooWifException e) {
      throw new IOException("cannot sign the request to " + describe(url) + ": no Mondoo credential: "
          + e.getMessage(), e);
    }
    if (credential == null) {
      throw new IOException("cannot sign the request to " + describe(url) + ": the credential source returned null");
    }

    RequestBody body = request.body();
    byte[] bytes = new byte[0];
    if (body != null) {
      if (body.isDuplex()) {
        throw new IOException("cannot sign the request to " + describe(url)
            + ": a duplex body has no fixed bytes to hash into chash");
      }
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      bytes = buffer.readByteArray();
    }

    String token;
    try {
      token = RequestSigning.token(credential.mrn(), credential.privateKey(), bytes, Instant.now(clock));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign the request to " + describe(url) + " with the credential of "
          + credential.mrn() + ": " + e.getMessage(), e);
    }

    Request.Builder signed = request.newBuilder().header("Authorization", "Bearer " + token);
    if (body != null) {
      signed.method(request.method(), RequestBody.create(bytes, body.contentType()));
    }
    return chain.proceed(signed.build());
  }

  private static String describe(HttpUrl url) {
    return url.newBuilder().query(null).fragment(null).build().toString();
  }

  @Override
  public String toString() {
    return "MondooRequestSigner{clock=" + clock + "}";
  }
}
