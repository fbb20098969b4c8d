package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MondooCredentialTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final Duration LIFETIME = Duration.ofMinutes(45);
  static KeyPair keys;
  static String keyPem;
  static String certPem;

  @BeforeAll
  static void keys() {
    keys = FakeMondoo.p384();
    keyPem = FakeMondoo.privateKeyPem(keys);
    certPem = FakeMondoo.certificatePem(keys, "mondoo-test", NOW.minusSeconds(60), NOW.plusSeconds(3600));
  }

  /** A service-account document with the standard fields, then {@code changes} (a null value removes). */
  private static String doc(Map<String, String> changes) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("mrn", FakeMondoo.MRN);
    d.put("space_mrn", FakeMondoo.SPACE);
    d.put("private_key", keyPem);
    d.put("certificate", certPem);
    d.put("api_endpoint", "https://eu.api.mondoo.com");
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (e.getValue() == null) {
        d.remove(e.getKey());
      } else {
        d.put(e.getKey(), e.getValue());
      }
    }
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : d.entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":\"")
          .append(e.getValue().replace("\n", "\\n")).append('"');
    }
    return sb.append('}').toString();
  }

  private static MondooCredential parse(String base64) throws InvalidCredentialException {
    return MondooCredential.parse(base64, "azure-imds", NOW, LIFETIME);
  }

  private static InvalidCredentialException failure(String base64) {
    return catchThrowableOfType(InvalidCredentialException.class, () -> parse(base64));
  }

  @Test
  void parse_stsCredential_exposesTheExactValueAndItsFields() throws Exception {
    String base64 = FakeMondoo.base64(doc(Map.of()));

    MondooCredential c = parse(base64);

    assertThat(c.base64Config()).isEqualTo(base64);
    assertThat(c.configJson()).isEqualTo(doc(Map.of()));
    assertThat(c.mrn()).isEqualTo(FakeMondoo.MRN);
    assertThat(c.scopeMrn()).isEqualTo(FakeMondoo.SPACE);
    assertThat(c.apiEndpoint()).isEqualTo("https://eu.api.mondoo.com");
    assertThat(c.provider()).isEqualTo("azure-imds");
    assertThat(c.obtainedAt()).isEqualTo(NOW);
    assertThat(c.fingerprint()).isEqualTo(Secrets.fingerprint(base64));
  }

  @Test
  void parse_privateKey_signsWhatTheCertificateVerifies() throws Exception {
    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of())));
    byte[] data = "{}".getBytes(StandardCharsets.UTF_8);

    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    signer.initSign(c.privateKey());
    signer.update(data);
    byte[] sig = signer.sign();
    Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
    verifier.initVerify(c.certificate().getPublicKey());
    verifier.update(data);

    assertThat(sig).hasSize(96);
    assertThat(verifier.verify(sig)).isTrue();
  }

  @Test
  void parse_certificateNotAfterInTheFuture_isTheExpiry() throws Exception {
    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of())));

    assertThat(c.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(c.lifetime()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void parse_certificateAlreadyExpired_usesTheConfiguredLifetime() throws Exception {
    String old = FakeMondoo.certificatePem(keys, "old", NOW.minusSeconds(7200), NOW.minusSeconds(1));

    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of("certificate", old))));

    assertThat(c.expiresAt()).isEqualTo(NOW.plus(LIFETIME));
  }

  @Test
  void parse_noCertificate_isRefused() {
    Map<String, String> noCert = new LinkedHashMap<>();
    noCert.put("certificate", null);

    assertThatThrownBy(() -> parse(FakeMondoo.base64(doc(noCert))))
        .isInstanceOf(InvalidCredentialException.class)
        .hasMessageContaining("no \"certificate\"");
  }

  @Test
  void parse_certificateThatDoesNotParse_isRefused() {
    String garbage = "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n";

    assertThatThrownBy(() -> parse(FakeMondoo.base64(doc(Map.of("certificate", garbage)))))
        .isInstanceOf(InvalidCredentialException.class)
        .hasMessageContaining("\"certificate\" is not an X.509 certificate");
  }

  @Test
  void parse_defaultConfiguredLifetime_isOneHour() throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience(FakeMondoo.SPACE).build();
    String old = FakeMondoo.certificatePem(keys, "old", NOW.minusSeconds(7200), NOW.minusSeconds(1));

    MondooCredential c = MondooCredential.parse(FakeMondoo.base64(doc(Map.of("certificate", old))), "p", NOW,
        config.credentialLifetime());

    assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void parse_scopeMrn_winsOverSpaceAndParent() throws Exception {
    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of("scope_mrn", "//scope", "parent_mrn", "//parent"))));

    assertThat(c.scopeMrn()).isEqualTo("//scope");
  }

  @Test
  void parse_spaceMrn_winsOverParent() throws Exception {
    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of("parent_mrn", "//parent"))));

    assertThat(c.scopeMrn()).isEqualTo(FakeMondoo.SPACE);
  }

  @Test
  void parse_parentMrnOnly_isTheScope() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("space_mrn", null);
    m.put("parent_mrn", "//captain.api.mondoo.app/organizations/org-1");

    MondooCredential c = parse(FakeMondoo.base64(doc(m)));

    assertThat(c.scopeMrn()).isEqualTo("//captain.api.mondoo.app/organizations/org-1");
  }

  @Test
  void parse_noScopeNoApiEndpoint_areNull() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("space_mrn", null);
    m.put("api_endpoint", null);

    MondooCredential c = parse(FakeMondoo.base64(doc(m)));

    assertThat(c.scopeMrn()).isNull();
    assertThat(c.apiEndpoint()).isNull();
  }

  @Test
  void parse_unknownFields_areTolerated() throws Exception {
    MondooCredential c = parse(FakeMondoo.base64(doc(Map.of("typename", "ServiceAccountCredentials"))));

    assertThat(c.mrn()).isEqualTo(FakeMondoo.MRN);
  }

  @Test
  void parse_mimeWrappedBase64_isAcceptedAndKeptAsReceived() throws Exception {
    String wrapped = Base64.getMimeEncoder().encodeToString(doc(Map.of()).getBytes(StandardCharsets.UTF_8));

    MondooCredential c = parse(wrapped);

    assertThat(wrapped).contains("\r\n");
    assertThat(c.base64Config()).isEqualTo(wrapped);
    assertThat(c.mrn()).isEqualTo(FakeMondoo.MRN);
  }

  @Test
  void parse_blank_isRejected() {
    assertThat(failure("  ").getMessage()).contains("empty");
  }

  @Test
  void parse_invalidBase64_isRejectedWithAFingerprintOnly() {
    String bad = "not*base64!" + "A".repeat(50);

    InvalidCredentialException e = failure(bad);

    assertThat(e.getMessage()).contains("not valid base64", "sha256=" + Secrets.fingerprint(bad)).doesNotContain(bad);
  }

  @Test
  void parse_urlSafeBase64_isRejected() {
    String urlSafe = Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff, 0x01});

    assertThat(failure(urlSafe).getMessage()).contains("not valid base64");
  }

  @Test
  void parse_base64OfNonJson_isRejected() {
    InvalidCredentialException e = failure(FakeMondoo.base64("mrn: //agents/x\nprivate_key: secret-yaml-value\n"));

    assertThat(e.getMessage()).contains("does not decode to a JSON service-account document")
        .doesNotContain("secret-yaml-value");
  }

  @Test
  void parse_base64OfJsonArray_isRejected() {
    assertThat(failure(FakeMondoo.base64("[1,2]")).getMessage()).contains("expected a JSON object");
  }

  @Test
  void parse_withoutPrivateKey_namesTheFieldAndListsOnlyFieldNames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("private_key", null);

    InvalidCredentialException e = failure(FakeMondoo.base64(doc(m)));

    assertThat(e.getMessage()).contains("no \"private_key\"", "[mrn, space_mrn, certificate, api_endpoint]")
        .doesNotContain("BEGIN CERTIFICATE");
  }

  @Test
  void parse_withoutMrn_namesTheField() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mrn", null);

    assertThat(failure(FakeMondoo.base64(doc(m))).getMessage()).contains("no \"mrn\"").doesNotContain(keyPem);
  }

  @Test
  void parse_privateKeyNotPem_isRejectedWithoutQuotingIt() {
    InvalidCredentialException e = failure(FakeMondoo.base64(doc(Map.of("private_key", "hunter2-secret"))));

    assertThat(e.getMessage()).contains("\"private_key\" is not a PEM block").doesNotContain("hunter2-secret");
  }

  @Test
  void parse_privateKeyOfTheWrongPemType_namesBothTypes() {
    String sec1 = keyPem.replace("PRIVATE KEY", "EC PRIVATE KEY");

    assertThat(failure(FakeMondoo.base64(doc(Map.of("private_key", sec1)))).getMessage())
        .contains("\"EC PRIVATE KEY\"", "expected \"PRIVATE KEY\"");
  }

  @Test
  void parse_rsaPrivateKey_isRejectedAsNotEc() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    String rsa = FakeMondoo.pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded());

    InvalidCredentialException e = failure(FakeMondoo.base64(doc(Map.of("private_key", rsa))));

    assertThat(e.getMessage()).contains("not a PKCS#8 EC private key");
  }

  @Test
  void toString_showsIdentityAndFingerprintButNeverTheSecret() throws Exception {
    String base64 = FakeMondoo.base64(doc(Map.of()));

    String s = parse(base64).toString();

    assertThat(s).contains(FakeMondoo.MRN, FakeMondoo.SPACE, "azure-imds", "sha256=" + Secrets.fingerprint(base64),
        NOW.plusSeconds(3600).toString());
    assertThat(s).doesNotContain(base64).doesNotContain(keyPem.substring(28, 60)).doesNotContain("PRIVATE");
  }
}
