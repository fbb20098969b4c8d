package io.github.mondoowif.internal.signing;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bearer token Mondoo's API expects on every request (mondoo-sts.md §6), built exactly as Mondoo's own
 * clients build it: an ES384 JWS whose signature is the raw {@code R‖S} pair, whose {@code kid} and
 * {@code sub} are the service account's mrn, valid for 60 seconds, and bound to the request body by
 * {@code chash}, the hex SHA-256 of the exact body bytes. Internal, may change.
 */
public final class RequestSigning {
  public static final String ISSUER = "mondoo/ams";
  public static final Duration VALIDITY = Duration.ofSeconds(60);
  /** {@code chash} of an empty body. */
  public static final String EMPTY_BODY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  /** JCA's name for ECDSA with SHA-384 that yields R‖S (IEEE P1363) rather than DER: what JWS needs. */
  static final String ALGORITHM = "SHA384withECDSAinP1363Format";

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private RequestSigning() {}

  /**
   * A compact JWS for one request.
   *
   * @param body the exact bytes that will be sent; empty for a request without a body
   * @throws InvalidKeyException when the key is not a P-384 EC key
   */
  public static String token(String mrn, PrivateKey key, byte[] body, Instant now) throws GeneralSecurityException {
    if (!(key instanceof ECPrivateKey) || ((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize() != 384) {
      throw new InvalidKeyException("the credential's private key is not an EC P-384 key; Mondoo signs with ES384");
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES384");
    header.put("kid", mrn);
    header.put("typ", "JWT");
    long iat = now.getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", mrn);
    claims.put("iat", iat);
    claims.put("nbf", iat);
    claims.put("exp", iat + VALIDITY.getSeconds());
    claims.put("chash", Secrets.sha256Hex(body));
    String signingInput = encode(Json.write(header)) + "." + encode(Json.write(claims));
    Signature signature = Signature.getInstance(ALGORITHM);
    signature.initSign(key);
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64URL.encodeToString(signature.sign());
  }

  private static String encode(String json) {
    return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
