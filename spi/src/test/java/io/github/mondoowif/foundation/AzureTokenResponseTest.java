package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.internal.azure.AzureTokenResponse;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AzureTokenResponseTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String ENDPOINT = "GET http://127.0.0.1:1/metadata/identity/oauth2/token";
  static String withExp;
  static String withoutExp;

  @BeforeAll
  static void tokens() {
    withExp = FakeMondoo.azureToken("api://x", NOW.plusSeconds(600));
    withoutExp = FakeMondoo.jwt(Map.of("iss", FakeMondoo.ISSUER, "aud", "api://x", "sub", "s"));
  }

  private static SubjectToken parse(String body) throws TokenSourceException {
    return AzureTokenResponse.parse("azure-imds", ENDPOINT, body, NOW);
  }

  @Test
  void parse_jwtExp_winsOverExpiresOn() throws Exception {
    SubjectToken t = parse("{\"access_token\":\"" + withExp + "\",\"expires_on\":\"1999999999\"}");

    assertThat(t.expiresAt()).contains(NOW.plusSeconds(600));
    assertThat(t.reusable()).isTrue();
  }

  @Test
  void parse_noJwtExp_usesExpiresOnAsNumber() throws Exception {
    SubjectToken t = parse("{\"access_token\":\"" + withoutExp + "\",\"expires_on\":1772370000}");

    assertThat(t.expiresAt()).contains(Instant.ofEpochSecond(1772370000L));
  }

  @Test
  void parse_noJwtExp_usesExpiresOn2017DateString() throws Exception {
    SubjectToken t = parse("{\"access_token\":\"" + withoutExp + "\",\"expires_on\":\"3/1/2026 1:00:00 PM +00:00\"}");

    assertThat(t.expiresAt()).contains(Instant.parse("2026-03-01T13:00:00Z"));
  }

  @Test
  void parse_unreadableExpiresOn_fallsBackToExpiresIn() throws Exception {
    SubjectToken t = parse("{\"access_token\":\"" + withoutExp + "\",\"expires_on\":\"soon\",\"expires_in\":\"3599\"}");

    assertThat(t.expiresAt()).contains(NOW.plusSeconds(3599));
  }

  @Test
  void parse_noExpiryAtAll_isNotReusable() throws Exception {
    SubjectToken t = parse("{\"access_token\":\" " + withoutExp + " \"}");

    assertThat(t.value()).isEqualTo(withoutExp);
    assertThat(t.expiresAt()).isEmpty();
    assertThat(t.reusable()).isFalse();
  }

  @Test
  void parse_missingAccessToken_listsFieldsPresent() {
    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> parse("{\"token_type\":\"Bearer\",\"expires_in\":\"3599\"}"));

    assertThat(e.getMessage()).contains("[azure-imds]", ENDPOINT, "without an access_token",
        "[token_type, expires_in]");
    assertThat(e.status()).isEqualTo(200);
  }

  @Test
  void parse_malformedJson_isRetryableAndQuotesAnExcerptOnly() {
    TokenSourceException e = catchThrowableOfType(TokenSourceException.class,
        () -> parse("<html>maintenance</html>"));

    assertThat(e.getMessage()).contains("not a token response", "body starts: <html>maintenance</html>");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void describeError_flatNestedAndPlainBodies_areReadable() {
    assertThat(AzureTokenResponse.describeError("{\"error\":\"invalid_resource\",\"error_description\":\"AADSTS500011\"}"))
        .isEqualTo("invalid_resource: AADSTS500011");
    assertThat(AzureTokenResponse.describeError("{\"error\":{\"code\":\"IdentityNotFound\",\"message\":\"none\"}}"))
        .isEqualTo("IdentityNotFound: none");
    assertThat(AzureTokenResponse.describeError("{\"message\":\"An error has occurred.\"}"))
        .isEqualTo("An error has occurred.");
    assertThat(AzureTokenResponse.describeError("Bad Gateway")).isEqualTo("body: Bad Gateway");
    assertThat(AzureTokenResponse.describeError("")).isEqualTo("empty body");
  }
}
