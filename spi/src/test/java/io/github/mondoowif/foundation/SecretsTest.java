package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void redactTokens_urlsIssuersAndMrns_areLeftReadable() {
    String text = "Mondoo's STS at http://127.0.0.1:41363/SecureTokenService/ExchangeExternalToken refused; "
        + "issuer_uri=https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/ mrn "
        + "//agents.api.mondoo.app/spaces/test-space-1/serviceaccounts/sa-123";

    assertThat(Secrets.redactTokens(text)).isEqualTo(text);
  }

  @Test
  void redactTokens_base64BlobWithSlashes_isRedacted() {
    String blob = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1L7VLPHCgcBIjAN/Ab7Qx2KdE3pL9xYzW8vRt";

    assertThat(Secrets.redactTokens("key " + blob + " end"))
        .isEqualTo("key <redacted sha256=" + Secrets.fingerprint(blob) + "> end");
  }

  @Test
  void fingerprint_isTwelveHexDigitsOfSha256() {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(Secrets.fingerprint("abc")).isEqualTo("ba7816bf8f01");
    assertThat(Secrets.fingerprint(null)).isEqualTo("none");
  }

  @Test
  void excerpt_shortPlainText_isUnchangedWithoutEllipsis() {
    assertThat(Secrets.excerpt("service unavailable", 200)).isEqualTo("service unavailable");
  }

  @Test
  void excerpt_longText_isCutToMaxWithEllipsis() {
    String e = Secrets.excerpt("word ".repeat(500), 50);

    assertThat(e).endsWith("…").hasSizeLessThanOrEqualTo(51);
  }

  @Test
  void excerpt_controlCharactersAndNewlines_foldToSingleSpaces() {
    assertThat(Secrets.excerpt("line one\r\n\tline\u0000two", 200)).isEqualTo("line one line two");
  }

  @Test
  void excerpt_jwtAcrossTheCutPoint_isRedactedWholeWithItsOwnFingerprint() {
    String jwt = FakeMondoo.jwt(Map.of("sub", "x", "exp", Instant.now().getEpochSecond()));
    String body = "x".repeat(30) + " " + jwt + " trailing";

    String e = Secrets.excerpt(body, 100);

    assertThat(e).doesNotContain(jwt.substring(0, 20)).contains("<redacted sha256=" + Secrets.fingerprint(jwt) + ">");
  }

  @Test
  void excerpt_longBase64Run_isRedacted() {
    String credential = FakeMondoo.base64("{\"mrn\":\"//agents.api.mondoo.app/spaces/s/serviceaccounts/x\","
        + "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nMIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDA\"}");

    String e = Secrets.excerpt("credential: " + credential, 500);

    assertThat(e).isEqualTo("credential: <redacted sha256=" + Secrets.fingerprint(credential) + ">");
  }

  @Test
  void excerpt_oneMebibyteOfTokenLikeText_finishesQuickly() {
    String body = "eyJ".repeat((1 << 20) / 3);

    String e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Secrets.excerpt(body, 200));

    assertThat(e).startsWith("<redacted sha256=");
  }

  @Test
  void redactTokens_ordinaryUrlsAndIds_areLeftAlone() {
    String text = "audience //captain.api.mondoo.app/spaces/test-space-1 at https://us.api.mondoo.com/x "
        + "sub 11111111-2222-3333-4444-555555555555";

    assertThat(Secrets.redactTokens(text)).isEqualTo(text);
  }

  @Test
  void redactTokens_endpointAndIssuerUrls_stayReadable() {
    String text = "Mondoo's STS at http://localhost:59409/SecureTokenService/ExchangeExternalToken refused; "
        + "issuer_uri=https://sts.windows.net/00000000-1111-2222-3333-444444444444/; "
        + "v2 https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0";

    assertThat(Secrets.redactTokens(text)).isEqualTo(text);
  }

  @Test
  void redactTokens_tokenInsideAUrl_pathQueryOrUserInfo_isRedacted() {
    String jwt = FakeMondoo.jwt(Map.of("sub", "x", "exp", 1L));
    String base64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJz/dHV2d3h5ejAxMjM0NTY3ODk=";

    String password = "cGFzc3dvcmQtdGhhdC1pcy1sb25nLWVub3VnaC10by1sb29rLWxpa2UtYS10b2tlbg";

    String text = Secrets.redactTokens("GET https://host:8443/token/" + jwt + "/x?credential=" + base64
        + " and https://user:" + password + "@proxy:3128/ and " + base64);

    assertThat(text).doesNotContain(jwt.substring(0, 30)).doesNotContain(jwt.substring(jwt.length() - 30))
        .doesNotContain(base64.substring(0, 30))
        .doesNotContain(password.substring(0, 30))
        .startsWith("GET https://host:").contains("?credential=<redacted sha256=" + Secrets.fingerprint(base64) + ">")
        .contains("https://user:<redacted sha256=" + Secrets.fingerprint(password) + ">@proxy:3128/ and <redacted");
  }

  @Test
  void excerpt_oneMebibyteOfUrlLikeText_finishesQuickly() {
    String body = "https://" + "a/b".repeat((1 << 20) / 3) + " " + "httpx".repeat((1 << 20) / 5);

    String e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Secrets.excerpt(body, 200));

    assertThat(e).startsWith("https://a/ba/ba/b");
  }
}
