package io.github.mondoowif;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A short-lived Mondoo service account obtained through the Secure Token Service: exactly the value a
 * workload puts in {@code MONDOO_CONFIG_BASE64}, plus what was parsed from it.
 *
 * <p>Immutable and thread-safe. It holds a private key: {@link #base64Config()} and {@link #configJson()}
 * are secrets. {@link #toString()} shows the mrn, scope, expiry and a fingerprint, never the key.
 */
public final class MondooCredential {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final String base64Config;
  private final String configJson;
  private final String mrn;
  private final String scopeMrn;
  private final String apiEndpoint;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final Instant obtainedAt;
  private final Instant expiresAt;
  private final String provider;

  private MondooCredential(
      String base64Config,
      String configJson,
      String mrn,
      String scopeMrn,
      String apiEndpoint,
      PrivateKey privateKey,
      X509Certificate certificate,
      Instant obtainedAt,
      Instant expiresAt,
      String provider) {
    this.base64Config = base64Config;
    this.configJson = configJson;
    this.mrn = mrn;
    this.scopeMrn = scopeMrn;
    this.apiEndpoint = apiEndpoint;
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.obtainedAt = obtainedAt;
    this.expiresAt = expiresAt;
    this.provider = provider;
  }

  /**
   * Parses and validates a {@code base64_credential} as returned by Mondoo's STS.
   *
   * <p>It must decode to a JSON object with {@code mrn}, {@code private_key} (PKCS#8 EC PEM) and
   * {@code certificate} (X.509 PEM): Mondoo's CLIs read all three, so handing a child a credential with a
   * broken certificate would only move the failure somewhere harder to diagnose. The expiry is the
   * certificate's notAfter when it lies after {@code now}, otherwise {@code now + fallbackLifetime}
   * (mondoo-sts.md §2: the STS says nothing about lifetime).
   *
   * @param provider the name of the provider whose token was exchanged, for diagnostics
   * @throws InvalidCredentialException naming what is wrong, never quoting the content
   */
  public static MondooCredential parse(String base64Config, String provider, Instant now, Duration fallbackLifetime)
      throws InvalidCredentialException {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(fallbackLifetime, "fallbackLifetime");
    if (base64Config == null || base64Config.isBlank()) {
      throw new InvalidCredentialException("base64_credential is empty");
    }
    byte[] decoded;
    try {
      decoded = Base64.getMimeDecoder().decode(base64Config.trim());
      if (!isBase64(base64Config.trim())) {
        throw new IllegalArgumentException("illegal characters");
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidCredentialException(
          "base64_credential is not valid base64 (sha256=" + Secrets.fingerprint(base64Config) + ")");
    }
    String json = new String(decoded, StandardCharsets.UTF_8);
    Map<String, Object> doc;
    try {
      doc = Json.parseObject(json);
    } catch (MalformedJsonException e) {
      throw new InvalidCredentialException(
          "base64_credential does not decode to a JSON service-account document: " + e.getMessage());
    }
    String mrn = requiredString(doc, "mrn");
    String keyPem = requiredString(doc, "private_key");
    String certPem = requiredString(doc, "certificate");
    String scope = firstString(doc, "scope_mrn", "space_mrn", "parent_mrn");
    String api = optionalString(doc, "api_endpoint");

    PrivateKey key = parsePrivateKey(keyPem);
    X509Certificate cert = parseCertificate(certPem);
    Instant notAfter = cert.getNotAfter().toInstant();
    Instant expiresAt = notAfter.isAfter(now) ? notAfter : now.plus(fallbackLifetime);
    return new MondooCredential(
        base64Config.trim(), json, mrn, scope, api, key, cert, now, expiresAt, provider == null ? "unknown" : provider);
  }

  private static boolean isBase64(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
              || c == '=' || c == '\n' || c == '\r';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String requiredString(Map<String, Object> doc, String field) throws InvalidCredentialException {
    Object v = doc.get(field);
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw new InvalidCredentialException(
          "the service-account document in base64_credential has no \"" + field + "\""
              + (v == null ? "" : " string") + "; fields present: " + doc.keySet());
    }
    return (String) v;
  }

  private static String optionalString(Map<String, Object> doc, String field) {
    Object v = doc.get(field);
    return v instanceof String && !((String) v).isBlank() ? (String) v : null;
  }

  private static String firstString(Map<String, Object> doc, String... fields) {
    for (String f : fields) {
      String v = optionalString(doc, f);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static byte[] pemBody(String pem, String expectedType, String field) throws InvalidCredentialException {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) {
      throw new InvalidCredentialException("\"" + field + "\" is not a PEM block (-----BEGIN " + expectedType + "-----)");
    }
    if (!m.group(1).equals(expectedType)) {
      throw new InvalidCredentialException(
          "\"" + field + "\" is a PEM \"" + m.group(1) + "\" block; expected \"" + expectedType + "\"");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidCredentialException("\"" + field + "\" PEM body is not valid base64");
    }
  }

  private static PrivateKey parsePrivateKey(String pem) throws InvalidCredentialException {
    byte[] der = pemBody(pem, "PRIVATE KEY", "private_key");
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidCredentialException(
          "\"private_key\" is not a PKCS#8 EC private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static X509Certificate parseCertificate(String pem) throws InvalidCredentialException {
    byte[] der = pemBody(pem, "CERTIFICATE", "certificate");
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidCredentialException(
          "\"certificate\" is not an X.509 certificate (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Exactly what the STS returned: the value for {@code MONDOO_CONFIG_BASE64}. Secret. */
  public String base64Config() {
    return base64Config;
  }

  /** The decoded service-account JSON: the content for a {@code MONDOO_CONFIG_PATH} file. Secret. */
  public String configJson() {
    return configJson;
  }

  /** The service account's mrn, e.g. {@code //agents.api.mondoo.app/spaces/<id>/serviceaccounts/<id>}. */
  public String mrn() {
    return mrn;
  }

  /** {@code scope_mrn}, else {@code space_mrn}, else {@code parent_mrn}; {@code null} when none. */
  public String scopeMrn() {
    return scopeMrn;
  }

  /** The API endpoint the credential names, or {@code null}. */
  public String apiEndpoint() {
    return apiEndpoint;
  }

  /** The service account's private key, for request signing. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The service account's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** When this credential was obtained (parsed), by the clock in use. */
  public Instant obtainedAt() {
    return obtainedAt;
  }

  /** When this credential stops being valid. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** {@code expiresAt - obtainedAt}. */
  public Duration lifetime() {
    return Duration.between(obtainedAt, expiresAt);
  }

  /** The name of the provider whose identity was exchanged. */
  public String provider() {
    return provider;
  }

  /** A short SHA-256 fingerprint of {@link #base64Config()}, safe to log. */
  public String fingerprint() {
    return Secrets.fingerprint(base64Config);
  }

  @Override
  public String toString() {
    return "MondooCredential{mrn=" + mrn + ", scope=" + scopeMrn + ", expiresAt=" + expiresAt + ", provider="
        + provider + ", sha256=" + fingerprint() + "}";
  }
}
