package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.IssuerHints;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.jwt.JwtClaims;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtAndJsonTest {

  private static String unsigned(String payloadJson) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Test
  void jwtClaims_signedToken_decodesTheStandardClaims() {
    Instant exp = Instant.parse("2030-01-01T00:00:00Z");

    JwtClaims c = JwtClaims.tryDecode(FakeMondoo.azureToken("api://x", exp)).orElseThrow();

    assertThat(c.issuer()).isEqualTo(FakeMondoo.ISSUER);
    assertThat(c.audience()).isEqualTo("api://x");
    assertThat(c.subject()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(c.expiresAt()).isEqualTo(exp);
    assertThat(c.issuedAt()).isEqualTo(exp.minusSeconds(86400));
  }

  @Test
  void jwtClaims_arrayAudienceAndStringExp_areRead() {
    JwtClaims c = JwtClaims.tryDecode(unsigned("{\"aud\":[\"a\",\"b\"],\"exp\":\"1900000000\"}")).orElseThrow();

    assertThat(c.audience()).isEqualTo("a,b");
    assertThat(c.expiresAt()).isEqualTo(Instant.ofEpochSecond(1900000000L));
  }

  @Test
  void jwtClaims_notAJwt_isEmpty() {
    assertThat(JwtClaims.tryDecode(null)).isEmpty();
    assertThat(JwtClaims.tryDecode("opaque-token")).isEmpty();
    assertThat(JwtClaims.tryDecode("a.b")).isEmpty();
    assertThat(JwtClaims.tryDecode("e30.!!!.sig")).isEmpty();
    assertThat(JwtClaims.tryDecode(unsigned("[1]"))).isEmpty();
  }

  @Test
  void jwtClaims_toString_showsClaimsOnly() {
    String jwt = FakeMondoo.azureToken("api://x", Instant.parse("2030-01-01T00:00:00Z"));

    assertThat(JwtClaims.tryDecode(jwt).orElseThrow().toString()).startsWith("JwtClaims{iss=").doesNotContain(jwt);
  }

  @Test
  void json_parseObject_readsNestedValuesWithTheirTypes() throws Exception {
    Map<String, Object> m = Json.parseObject(
        "{\"s\":\"x\",\"i\":3,\"d\":1.5,\"b\":true,\"n\":null,\"l\":[1,\"a\"],\"o\":{\"k\":\"v\"}}");

    assertThat(m).containsEntry("s", "x").containsEntry("i", 3L).containsEntry("d", 1.5).containsEntry("b", true)
        .containsEntry("n", null).containsEntry("l", List.of(1L, "a")).containsEntry("o", Map.of("k", "v"));
  }

  @Test
  void json_parseObject_rejectsNonObjectsAndGarbageWithoutQuotingThem() {
    assertThatThrownBy(() -> Json.parseObject("")).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("an array");
    assertThatThrownBy(() -> Json.parseObject("{\"a\":1} {\"b\":2}")).hasMessageContaining("after the JSON object");
    assertThatThrownBy(() -> Json.parseObject("{\"a\":1} trailing")).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> Json.parseObject("{\"secret\": tru-value-secret"))
        .isInstanceOf(MalformedJsonException.class).hasMessageNotContaining("value-secret");
    assertThatThrownBy(() -> Json.parseObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
        .isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void json_write_producesCompactJsonInInsertionOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("audience", "//a");
    m.put("quote", "say \"hi\"\n");
    m.put("n", 2);
    m.put("list", List.of(true));

    assertThat(Json.write(m)).isEqualTo("{\"audience\":\"//a\",\"quote\":\"say \\\"hi\\\"\\n\",\"n\":2,\"list\":[true]}");
  }

  @Test
  void issuerHints_trailingSlash_saysWhichSideHasIt() {
    assertThat(IssuerHints.mismatch("https://sts.windows.net/t", "https://sts.windows.net/t/"))
        .contains("with a trailing slash", "`https://sts.windows.net/t/`");
    assertThat(IssuerHints.mismatch("https://sts.windows.net/t/", "https://sts.windows.net/t"))
        .contains("without a trailing slash");
  }

  @Test
  void issuerHints_entraV1VersusV2_namesTheVersions() {
    assertThat(IssuerHints.mismatch("https://login.microsoftonline.com/t/v2.0", "https://sts.windows.net/t/"))
        .contains("Entra v1 token", "accessTokenAcceptedVersion");
    assertThat(IssuerHints.mismatch("https://sts.windows.net/t/", "https://login.microsoftonline.com/t/v2.0"))
        .contains("Entra v2 token");
  }

  @Test
  void issuerHints_equalOrUnknown_isNull() {
    assertThat(IssuerHints.mismatch("https://a", "https://a")).isNull();
    assertThat(IssuerHints.mismatch(null, "https://a")).isNull();
    assertThat(IssuerHints.mismatch("https://a", null)).isNull();
  }
}
