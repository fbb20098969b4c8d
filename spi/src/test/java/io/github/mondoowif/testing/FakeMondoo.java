package io.github.mondoowif.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test material that looks exactly like what Mondoo's STS and Azure hand out: P-384 service-account
 * credentials with real X.509 certificates, and RS256-signed JWTs. Built with JDK classes only; the DER is
 * written by hand because the JDK has no public certificate builder.
 */
public final class FakeMondoo {
  public static final String SPACE = "//captain.api.mondoo.app/spaces/test-space-1";
  public static final String MRN = "//agents.api.mondoo.app/spaces/test-space-1/serviceaccounts/sa-123";
  public static final String ISSUER = "https://sts.windows.net/00000000-1111-2222-3333-444444444444/";

  private FakeMondoo() {}

  /** A P-384 key pair. */
  public static KeyPair p384() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A self-signed ECDSA-SHA384 certificate for {@code keys}, valid from {@code notBefore} to {@code notAfter}, as PEM. */
  public static String certificatePem(KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
    try {
      byte[] algId = seq(oid(1, 2, 840, 10045, 4, 3, 3));
      byte[] name = seq(set(seq(oid(2, 5, 4, 3), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
      byte[] tbs = seq(
          tlv(0xa0, integer(BigInteger.valueOf(2))),
          integer(BigInteger.valueOf(System.nanoTime() & 0x7fffffffL)),
          algId,
          name,
          seq(time(notBefore), time(notAfter)),
          name,
          keys.getPublic().getEncoded());
      Signature s = Signature.getInstance("SHA384withECDSA");
      s.initSign(keys.getPrivate());
      s.update(tbs);
      byte[] sig = s.sign();
      byte[] bitString = new byte[sig.length + 1];
      System.arraycopy(sig, 0, bitString, 1, sig.length);
      byte[] cert = seq(tbs, algId, tlv(0x03, bitString));
      return pem("CERTIFICATE", cert);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  public static String privateKeyPem(KeyPair keys) {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  public static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  /** A service-account JSON document as the STS issues it. */
  public static String serviceAccountJson(KeyPair keys, String certPem) {
    return serviceAccountJson(keys, certPem, MRN, SPACE, "https://us.api.mondoo.com");
  }

  /** A service-account JSON document naming {@code apiEndpoint}: point it at a local fake in tests that call the API. */
  public static String serviceAccountJson(KeyPair keys, String certPem, String apiEndpoint) {
    return serviceAccountJson(keys, certPem, MRN, SPACE, apiEndpoint);
  }

  /** A service-account JSON document for the given mrn, space and API endpoint. */
  public static String serviceAccountJson(KeyPair keys, String certPem, String mrn, String spaceMrn,
      String apiEndpoint) {
    Map<String, String> doc = new LinkedHashMap<>();
    doc.put("mrn", mrn);
    doc.put("space_mrn", spaceMrn);
    doc.put("private_key", privateKeyPem(keys));
    doc.put("certificate", certPem);
    doc.put("api_endpoint", apiEndpoint);
    return json(doc);
  }

  /** A complete {@code base64_credential} whose certificate expires at {@code notAfter}. */
  public static String base64Credential(Instant notAfter) {
    KeyPair keys = p384();
    String cert = certificatePem(keys, "mondoo-test", notAfter.minusSeconds(7200), notAfter);
    return base64(serviceAccountJson(keys, cert));
  }

  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The STS success body for {@code base64Credential}. */
  public static String stsResponse(String base64Credential) {
    return "{\"base64_credential\":\"" + base64Credential + "\"}";
  }

  /** An RS256-signed JWT with the given claims (values: String or Long), signed by a throwaway key. */
  public static String jwt(Map<String, Object> claims) {
    return jwt(claims, rsa());
  }

  /** A 2048-bit RSA key pair for signing JWTs. */
  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** An RS256-signed JWT with the given claims, signed by {@code rsa}'s private key. */
  public static String jwt(Map<String, Object> claims, KeyPair rsa) {
    try {
      String header = b64url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"test\"}");
      String payload = b64url(json(claims));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(rsa.getPrivate());
      s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** An Azure v1 managed-identity token for {@code resource}, expiring at {@code exp}. */
  public static String azureToken(String resource, Instant exp) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", resource);
    c.put("iss", ISSUER);
    c.put("iat", exp.minusSeconds(86400).getEpochSecond());
    c.put("nbf", exp.minusSeconds(86400).getEpochSecond());
    c.put("exp", exp.getEpochSecond());
    c.put("oid", "11111111-2222-3333-4444-555555555555");
    c.put("sub", "11111111-2222-3333-4444-555555555555");
    c.put("tid", "00000000-1111-2222-3333-444444444444");
    c.put("ver", "1.0");
    return jwt(c);
  }

  /** IMDS's string-typed token JSON. */
  public static String imdsResponse(String token, String resource, Instant exp) {
    return "{\"access_token\":\"" + token + "\",\"client_id\":\"cid\",\"expires_in\":\"86399\",\"expires_on\":\""
        + exp.getEpochSecond() + "\",\"ext_expires_in\":\"86399\",\"not_before\":\"" + (exp.getEpochSecond() - 86400)
        + "\",\"resource\":\"" + resource + "\",\"token_type\":\"Bearer\"}";
  }

  private static String b64url(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String json(Map<String, ?> map) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, ?> e : map.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number) {
        sb.append(v);
      } else {
        sb.append('"').append(escape(String.valueOf(v))).append('"');
      }
    }
    return sb.append('}').toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  // --- DER ---

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] integer(BigInteger v) {
    return tlv(0x02, v.toByteArray());
  }

  private static byte[] oid(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int a = arcs[i];
      byte[] tmp = new byte[5];
      int n = 0;
      do {
        tmp[n++] = (byte) (a & 0x7f);
        a >>>= 7;
      } while (a != 0);
      for (int j = n - 1; j >= 0; j--) {
        out.write(tmp[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] time(Instant t) {
    java.time.ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    if (z.getYear() < 2050) {
      return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
  }
}
