package io.github.mondoowif.foundation;

import io.github.mondoowif.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ConfigException;
import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.InvalidCredentialException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.foundation.Recording.RecordingSleeper;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No log line (at any level), exception message or {@code toString()} contains the subject token, the
 * credential or its private key: not whole, and not any 40-character piece of them.
 */
class NoSecretsTest {
  static final String RESOURCE = "api://mondoo-wif";
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static String token;
  static String credential;
  static String privateKeyBody;

  @StartStop final MockWebServer azure = new MockWebServer();
  @StartStop final MockWebServer sts = new MockWebServer();
  LogCapture log;
  final List<String> observed = new ArrayList<>();

  @BeforeAll
  static void material() {
    token = FakeMondoo.azureToken(RESOURCE, NOW.plusSeconds(86400));
    KeyPair keys = FakeMondoo.p384();
    String json = FakeMondoo.serviceAccountJson(keys,
        FakeMondoo.certificatePem(keys, "mondoo-test", NOW.minusSeconds(60), NOW.plusSeconds(3600)));
    credential = FakeMondoo.base64(json);
    privateKeyBody = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
  }

  @BeforeEach
  void captureLog() {
    log = new LogCapture();
  }

  @AfterEach
  void noSecretAnywhere() {
    log.close();
    observed.addAll(log.texts());
    assertThat(observed).isNotEmpty();
    for (String text : observed) {
      assertNoSecret(text, token);
      assertNoSecret(text, credential);
      assertNoSecret(text, privateKeyBody);
      assertNoSecret(text, "static-jwt-secret-value");
    }
  }

  private static void assertNoSecret(String text, String secret) {
    assertThat(text).doesNotContain(secret);
    for (int i = 0; i + 40 <= secret.length(); i += 20) {
      assertThat(text).as("a 40-character piece of a secret").doesNotContain(secret.substring(i, i + 40));
    }
  }

  /** Records the message, toString() and cause chain of {@code e}. */
  private void observe(Throwable e) {
    assertThat(e).isNotNull();
    for (Throwable t = e; t != null; t = t.getCause()) {
      observed.add(String.valueOf(t.getMessage()));
      observed.add(t.toString());
    }
  }

  private MondooWifConfig config() throws ConfigException {
    // No issuer: the exchange then takes the Azure token's own iss and logs that it did.
    return MondooWifConfig.builder().audience(FakeMondoo.SPACE).universeDomain(sts.url("/").toString())
        .azureResource(RESOURCE).setting("jwt-token", "static-jwt-secret-value").build();
  }

  private MondooCredentials credentials() throws ConfigException {
    return MondooCredentials.builder().config(config())
        .environment(Map.of("MSI_ENDPOINT", azure.url("/oauth2/token").toString(), "IDENTITY_HEADER", "hdr-secret"))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .providers(List.of(new CloudShellProvider()))
        .build();
  }

  private void azureAnswersWithTheToken() {
    azure.enqueue(new MockResponse.Builder().body(FakeMondoo.imdsResponse(token, RESOURCE, NOW.plusSeconds(86400)))
        .build());
  }

  @Test
  void successfulExchange_logsAndToStringsHoldNoSecret() throws Exception {
    azureAnswersWithTheToken();
    sts.enqueue(new MockResponse.Builder().body(FakeMondoo.stsResponse(credential)).build());

    try (MondooCredentials credentials = credentials()) {
      MondooCredential c = credentials.credential();

      assertThat(c.base64Config()).isEqualTo(credential);
      observed.add(c.toString());
      observed.add(credentials.toString());
      observed.add(credentials.config().toString());
      observed.add(SubjectToken.of(token, null).toString());
    }
    assertThat(log.texts()).anySatisfy(l -> assertThat(l).contains("token's own iss"));
  }

  @Test
  void stsRefusalEchoingTheToken_exceptionHoldsNoSecret() throws Exception {
    azureAnswersWithTheToken();
    sts.enqueue(new MockResponse.Builder().code(401)
        .body("{\"code\":16,\"message\":\"rejected jwt_token=" + token + "\"}").build());

    try (MondooCredentials credentials = credentials()) {
      ExchangeException e = unwrap(ExchangeException.class, catchThrowableOfType(CredentialUnavailableException.class, credentials::credential));

      observe(e);
      observed.add(String.valueOf(e.serverMessage()));
      assertThat(e.tokenSubject()).isEqualTo("11111111-2222-3333-4444-555555555555");
    }
  }

  @Test
  void stsBadGatewayEchoingTheRequest_exceptionHoldsNoSecret() {
    String page = "<html><body><pre>POST /SecureTokenService/ExchangeExternalToken\n{\"jwt_token\":\"" + token
        + "\"}\nprevious answer: " + credential + "</pre></body></html>";
    for (int i = 0; i < 2; i++) {
      sts.enqueue(new MockResponse.Builder().code(502).body(page).build());
    }
    StsClient client = new StsClient(HttpClients.sts(Duration.ofSeconds(5)), new RecordingSleeper(),
        Clock.systemUTC(), () -> 0.5, 2, Duration.ofMillis(10), Duration.ofMillis(10));

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(sts.url("/").toString(), FakeMondoo.SPACE, FakeMondoo.ISSUER, SubjectToken.of(token, null)));

    observe(e);
    observed.add(String.valueOf(e.serverMessage()));
  }

  @Test
  void stsAnswerThatIsNotJson_exceptionHoldsNoSecret() {
    sts.enqueue(new MockResponse.Builder().body("base64_credential=" + credential).build());
    StsClient client = new StsClient(HttpClients.sts(Duration.ofSeconds(5)), new RecordingSleeper(),
        Clock.systemUTC(), () -> 0.5, 1, Duration.ofMillis(10), Duration.ofMillis(10));

    ExchangeException e = catchThrowableOfType(ExchangeException.class,
        () -> client.exchange(sts.url("/").toString(), FakeMondoo.SPACE, FakeMondoo.ISSUER, SubjectToken.of(token, null)));

    observe(e);
    observed.add(String.valueOf(e.serverMessage()));
  }

  @Test
  void unusableCredential_exceptionHoldsNoSecret() throws Exception {
    String json = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
    String withoutMrn = FakeMondoo.base64(json.replace("\"mrn\"", "\"mrn_\""));
    String badCert = FakeMondoo.base64(json.replace("BEGIN CERTIFICATE", "BEGIN X").replace("END CERTIFICATE", "END X"));
    azureAnswersWithTheToken();
    sts.enqueue(new MockResponse.Builder().body(FakeMondoo.stsResponse(withoutMrn)).build());

    try (MondooCredentials credentials = credentials()) {
      observe(unwrap(InvalidCredentialException.class, catchThrowableOfType(CredentialUnavailableException.class, credentials::credential)));
    }
    observe(catchThrowableOfType(InvalidCredentialException.class,
        () -> MondooCredential.parse(credential.substring(1), "p", NOW, Duration.ofHours(1))));
    observe(catchThrowableOfType(InvalidCredentialException.class,
        () -> MondooCredential.parse(badCert, "p", NOW, Duration.ofHours(1))));
  }

  @Test
  void azureErrorEchoingTheToken_exceptionHoldsNoSecret() throws Exception {
    azure.enqueue(new MockResponse.Builder().code(400)
        .body("{\"error\":\"invalid_request\",\"error_description\":\"bad assertion " + token + "\"}").build());

    try (MondooCredentials credentials = credentials()) {
      TokenSourceException e = unwrap(TokenSourceException.class, catchThrowableOfType(CredentialUnavailableException.class, credentials::credential));

      observe(e);
      assertThat(e.getMessage()).contains("invalid_request");
    }
  }

  @Test
  void invalidSecretSetting_exceptionHoldsNoSecret() {
    MondooWifException e = catchThrowableOfType(ConfigException.class, () -> MondooWifConfig.load(
        Map.of("MONDOO_WIF_AUDIENCE", "//a", "MONDOO_WIF_JWT_TOKEN", "static-jwt-secret-value\nx"),
        Map.of(), Map.of(), "test"));

    observe(e);
  }
  /** The facade wraps every failure in CredentialUnavailableException; the cause is what went wrong. */
  private static <T extends Throwable> T unwrap(Class<T> type, CredentialUnavailableException e) {
    assertThat(e).as("credential() should fail").isNotNull();
    assertThat(e.getCause()).isInstanceOf(type);
    assertThat(e.getMessage()).contains(e.getCause().getMessage());
    return type.cast(e.getCause());
  }
}
