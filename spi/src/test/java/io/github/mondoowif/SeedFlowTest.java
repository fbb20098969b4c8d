package io.github.mondoowif;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.internal.azure.CloudShellProvider;
import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class SeedFlowTest {
  @StartStop final MockWebServer azure = new MockWebServer();
  @StartStop final MockWebServer sts = new MockWebServer();

  @Test
  void credential_cloudShellThenSts_returnsExactStsValue() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String resource = "api://mondoo-wif";
    String token = FakeMondoo.azureToken(resource, now.plusSeconds(86400));
    String credential = FakeMondoo.base64Credential(now.plusSeconds(3600));
    azure.enqueue(new MockResponse.Builder().code(200)
        .body(FakeMondoo.imdsResponse(token, resource, now.plusSeconds(86400))).build());
    sts.enqueue(new MockResponse.Builder().code(200).body(FakeMondoo.stsResponse(credential)).build());

    MondooWifConfig config = MondooWifConfig.builder()
        .audience(FakeMondoo.SPACE)
        .issuer(FakeMondoo.ISSUER)
        .universeDomain(sts.url("/").toString())
        .azureResource(resource)
        .build();
    try (MondooCredentials credentials = MondooCredentials.builder()
        .config(config)
        .environment(Map.of("MSI_ENDPOINT", azure.url("/oauth2/token").toString()))
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .providers(List.of(new CloudShellProvider()))
        .build()) {
      MondooCredential c = credentials.credential();

      assertThat(c.base64Config()).isEqualTo(credential);
      assertThat(c.mrn()).isEqualTo(FakeMondoo.MRN);
      assertThat(c.scopeMrn()).isEqualTo(FakeMondoo.SPACE);
      assertThat(c.provider()).isEqualTo("azure-cloud-shell");
      assertThat(c.expiresAt()).isEqualTo(now.plusSeconds(3600));
    }

    RecordedRequest tokenRequest = azure.takeRequest();
    assertThat(tokenRequest.getMethod()).isEqualTo("POST");
    assertThat(tokenRequest.getUrl().encodedPath()).isEqualTo("/oauth2/token");
    assertThat(tokenRequest.getHeaders().get("Metadata")).isEqualTo("true");
    assertThat(tokenRequest.getBody().utf8()).isEqualTo("resource=api%3A%2F%2Fmondoo-wif");

    RecordedRequest exchange = sts.takeRequest();
    assertThat(exchange.getMethod()).isEqualTo("POST");
    assertThat(exchange.getUrl().encodedPath()).isEqualTo("/SecureTokenService/ExchangeExternalToken");
    assertThat(exchange.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(exchange.getBody().utf8()).isEqualTo(
        "{\"audience\":\"" + FakeMondoo.SPACE + "\",\"issuer_uri\":\"" + FakeMondoo.ISSUER + "\",\"jwt_token\":\""
            + token + "\"}");
  }
}
