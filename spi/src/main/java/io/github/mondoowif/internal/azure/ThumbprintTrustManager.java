package io.github.mondoowif.internal.azure;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate: the leaf whose SHA-1 thumbprint is the expected one. Service
 * Fabric's managed-identity endpoint presents a cluster certificate that no CA vouches for; its thumbprint
 * in {@code IDENTITY_SERVER_THUMBPRINT} is the whole trust. Extends {@link X509ExtendedTrustManager} so the
 * JDK does not wrap it with hostname and CA checks that cannot pass. Internal.
 */
final class ThumbprintTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NONE = new X509Certificate[0];
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final byte[] expected;

  ThumbprintTrustManager(byte[] expected) {
    this.expected = expected.clone();
  }

  /**
   * The 20 bytes of a SHA-1 thumbprint written in hex, in either case, with or without colons or spaces
   * (the forms Windows and openssl print).
   *
   * @throws IllegalArgumentException when it is not 40 hex digits
   */
  static byte[] parse(String thumbprint) {
    StringBuilder hex = new StringBuilder(40);
    for (int i = 0; i < thumbprint.length(); i++) {
      char c = thumbprint.charAt(i);
      if (c == ':' || c == ' ' || c == '-') {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw new IllegalArgumentException("not a hex digit at position " + i);
      }
      hex.append(c);
    }
    if (hex.length() != 40) {
      throw new IllegalArgumentException("a SHA-1 thumbprint has 40 hex digits, this one has " + hex.length());
    }
    byte[] out = new byte[20];
    for (int i = 0; i < 20; i++) {
      out[i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4) | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    return out;
  }

  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  private static byte[] sha1(byte[] der) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(der);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-1 is required of every JRE", e);
    }
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    byte[] actual = sha1(chain[0].getEncoded());
    // Constant time: how much of a guess matched must not be observable.
    if (!MessageDigest.isEqual(actual, expected)) {
      throw new ThumbprintMismatchException(hex(actual), hex(expected));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("this trust manager only checks servers");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NONE;
  }

  /** The server's certificate is not the one the thumbprint names. */
  static final class ThumbprintMismatchException extends CertificateException {
    private static final long serialVersionUID = 1L;

    final String actual;
    final String expected;

    ThumbprintMismatchException(String actual, String expected) {
      super("server certificate SHA-1 thumbprint " + actual + " does not match IDENTITY_SERVER_THUMBPRINT "
          + expected);
      this.actual = actual;
      this.expected = expected;
    }
  }
}
