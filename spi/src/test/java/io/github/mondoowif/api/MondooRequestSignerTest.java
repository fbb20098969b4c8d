package io.github.mondoowif.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooRequestSigner;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.testing.FakeMondoo;
import io.github.mondoowif.testing.FakeMondooApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

class MondooRequestSignerTest {
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @StartStop final MockWebServer server = new MockWebServer();

  private final KeyPair keys = FakeMondoo.p384();
  private final MondooCredential credential = credential(keys);

  private static MondooCredential credential(KeyPair keys) {
    String cert = FakeMondoo.certificatePem(keys, "mondoo-test", NOW.minusSeconds(60), NOW.plusSeconds(3600));
    try {
      return MondooCredential.parse(FakeMondoo.base64(FakeMondoo.serviceAccountJson(keys, cert, "http://127.0.0.1:9")),
          "test", NOW, Duration.ofHours(1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private OkHttpClient client(MondooRequestSigner signer) {
    return new OkHttpClient.Builder().addInterceptor(signer).callTimeout(5, TimeUnit.SECONDS).build();
  }

  private MondooRequestSigner fixedSigner() {
    return MondooRequestSigner.create(() -> credential, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private RecordedRequest send(MondooRequestSigner signer, Request request) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    try (Response response = client(signer).newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static String[] jws(RecordedRequest r) {
    String auth = r.getHeaders().get("Authorization");
    assertThat(auth).startsWith("Bearer ");
    String[] parts = auth.substring(7).split("\\.", -1);
    assertThat(parts).hasSize(3);
    return parts;
  }

  private static Map<String, Object> part(String b64) throws Exception {
    return Json.parseObject(new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8));
  }

  @Test
  void intercept_jsonBody_signatureVerifiesWithCertificatePublicKey() throws Exception {
    RecordedRequest r = send(fixedSigner(),
        new Request.Builder().url(server.url("/AgentManager/PingPong")).post(RequestBody.create("{}", JSON)).build());

    String[] parts = jws(r);
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    assertThat(signature).hasSize(96);
    Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
    verifier.initVerify(credential.certificate().getPublicKey());
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify(signature)).isTrue();

    Signature other = Signature.getInstance("SHA384withECDSAinP1363Format");
    other.initVerify(FakeMondoo.p384().getPublic());
    other.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(other.verify(signature)).isFalse();
  }

  @Test
  void intercept_jsonBody_headerAndClaimsAreMondoos() throws Exception {
    RecordedRequest r = send(fixedSigner(),
        new Request.Builder().url(server.url("/AgentManager/PingPong")).post(RequestBody.create("{}", JSON)).build());

    String[] parts = jws(r);
    assertThat(part(parts[0])).containsExactly(
        Map.entry("alg", "ES384"), Map.entry("kid", FakeMondoo.MRN), Map.entry("typ", "JWT"));
    Map<String, Object> claims = part(parts[1]);
    assertThat(claims).containsEntry("iss", "mondoo/ams")
        .containsEntry("sub", FakeMondoo.MRN)
        .containsEntry("iat", NOW.getEpochSecond())
        .containsEntry("nbf", NOW.getEpochSecond())
        .containsEntry("exp", NOW.getEpochSecond() + 60)
        .doesNotContainKey("aud");
    assertThat((Long) claims.get("exp") - (Long) claims.get("iat")).isEqualTo(60L);
  }

  @Test
  void intercept_jsonBody_chashIsSha256OfBodyBytes() throws Exception {
    String body = "{\"query\":\"asset.name\",\"ünïcode\":true}";
    RecordedRequest r = send(fixedSigner(),
        new Request.Builder().url(server.url("/x")).post(RequestBody.create(body, JSON)).build());

    assertThat(r.getBody().utf8()).isEqualTo(body);
    assertThat(part(jws(r)[1]).get("chash"))
        .isEqualTo(FakeMondooApi.sha256Hex(body.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(r.getBody().sha256().hex());
  }

  @Test
  void intercept_noBody_chashIsEmptyBodyConstant() throws Exception {
    RecordedRequest r = send(fixedSigner(), new Request.Builder().url(server.url("/x")).get().build());

    assertThat(part(jws(r)[1]).get("chash")).isEqualTo(EMPTY_SHA256);
  }

  @Test
  void intercept_emptyPostBody_chashIsEmptyBodyConstant() throws Exception {
    RecordedRequest r = send(fixedSigner(),
        new Request.Builder().url(server.url("/x")).post(RequestBody.create(new byte[0], JSON)).build());

    assertThat(part(jws(r)[1]).get("chash")).isEqualTo(EMPTY_SHA256);
    assertThat(r.getBodySize()).isZero();
  }

  @Test
  void intercept_bodyDifferentOnEachRead_signsExactlyTheBytesSent() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    RequestBody fickle = new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8("{\"read\":" + reads.incrementAndGet() + "}");
      }
    };

    RecordedRequest r = send(fixedSigner(), new Request.Builder().url(server.url("/x")).post(fickle).build());

    assertThat(reads.get()).isEqualTo(1);
    assertThat(r.getBody().utf8()).isEqualTo("{\"read\":1}");
    assertThat(part(jws(r)[1]).get("chash")).isEqualTo(r.getBody().sha256().hex());
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
  }

  @Test
  void intercept_oneShotBody_isSentAndSigned() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        if (reads.incrementAndGet() > 1) {
          throw new IOException("one-shot body read twice");
        }
        sink.writeUtf8("{\"once\":true}");
      }
    };

    RecordedRequest r = send(fixedSigner(), new Request.Builder().url(server.url("/x")).post(oneShot).build());

    assertThat(r.getBody().utf8()).isEqualTo("{\"once\":true}");
    assertThat(part(jws(r)[1]).get("chash")).isEqualTo(r.getBody().sha256().hex());
  }

  @Test
  void intercept_existingAuthorization_isReplaced() throws Exception {
    RecordedRequest r = send(fixedSigner(), new Request.Builder().url(server.url("/x"))
        .header("Authorization", "Bearer stale").post(RequestBody.create("{}", JSON)).build());

    assertThat(r.getHeaders().values("Authorization")).hasSize(1);
    assertThat(r.getHeaders().get("Authorization")).isNotEqualTo("Bearer stale");
  }

  @Test
  void intercept_credentialRotates_eachRequestSignedWithCurrentKey() throws Exception {
    KeyPair otherKeys = FakeMondoo.p384();
    MondooCredential next = credential(otherKeys);
    Deque<MondooCredential> sequence = new ArrayDeque<>(List.of(credential, next));
    MondooRequestSigner signer = MondooRequestSigner.create(sequence::poll, Clock.fixed(NOW, ZoneOffset.UTC));

    RecordedRequest first = send(signer, new Request.Builder().url(server.url("/x")).post(RequestBody.create("{}", JSON)).build());
    RecordedRequest second = send(signer, new Request.Builder().url(server.url("/x")).post(RequestBody.create("{}", JSON)).build());

    assertThat(FakeMondooApi.verify(first, List.of(credential.certificate()), NOW)).isEmpty();
    assertThat(FakeMondooApi.verify(second, List.of(next.certificate()), NOW)).isEmpty();
    assertThat(FakeMondooApi.verify(second, List.of(credential.certificate()), NOW))
        .contains("signature does not verify with any issued certificate");
  }

  @Test
  void intercept_clockAdvances_timestampsFollowIt() throws Exception {
    Instant[] now = {NOW};
    Clock moving = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    MondooRequestSigner signer = MondooRequestSigner.create(() -> credential, moving);

    send(signer, new Request.Builder().url(server.url("/x")).get().build());
    now[0] = NOW.plusSeconds(300);
    RecordedRequest later = send(signer, new Request.Builder().url(server.url("/x")).get().build());

    assertThat(part(jws(later)[1])).containsEntry("iat", NOW.getEpochSecond() + 300)
        .containsEntry("exp", NOW.getEpochSecond() + 360);
  }

  @Test
  void intercept_sourceFails_callFailsWithCauseAndSendsNothing() {
    ConfigException cause = new ConfigException("audience", "mondoo.wif.audience is required and not set");
    MondooRequestSigner signer = MondooRequestSigner.create(() -> {
      throw cause;
    }, Clock.systemUTC());

    assertThatThrownBy(() -> client(signer).newCall(new Request.Builder().url(server.url("/x")).get().build()).execute())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot sign the request to " + server.url("/x"))
        .hasMessageContaining("mondoo.wif.audience is required")
        .hasCause(cause);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void intercept_duplexBody_refusedBeforeSending() {
    RequestBody duplex = new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public boolean isDuplex() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) {}
    };

    assertThatThrownBy(() -> client(fixedSigner())
        .newCall(new Request.Builder().url(server.url("/x")).post(duplex).build()).execute())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("duplex");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void toString_neverShowsKeyMaterial() {
    assertThat(fixedSigner().toString()).doesNotContain("PRIVATE").doesNotContain(credential.base64Config());
  }
}
