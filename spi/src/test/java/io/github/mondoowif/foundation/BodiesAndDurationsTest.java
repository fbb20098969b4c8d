package io.github.mondoowif.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.internal.http.Bodies;
import io.github.mondoowif.internal.time.Durations;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodiesAndDurationsTest {
  static final long CAP = Bodies.MAX_BYTES;

  /** A response whose body length is unknown up front, as with chunked encoding. */
  private static Response streamed(long bytes) {
    Buffer b = new Buffer();
    for (long i = 0; i < bytes; i++) {
      b.writeByte('a');
    }
    return response(ResponseBody.create(b, MediaType.get("text/plain"), -1));
  }

  private static Response response(ResponseBody body) {
    return new Response.Builder().request(new Request.Builder().url("http://127.0.0.1/").build())
        .protocol(Protocol.HTTP_1_1).code(200).message("OK").body(body).build();
  }

  @Test
  void readUtf8_streamedBodyOfExactlyTheCap_isRead() throws Exception {
    assertThat(Bodies.readUtf8(streamed(CAP), CAP)).hasSize((int) CAP);
  }

  @Test
  void readUtf8_streamedBodyOneByteOverTheCap_isRefused() {
    assertThatThrownBy(() -> Bodies.readUtf8(streamed(CAP + 1), CAP))
        .isInstanceOf(Bodies.BodyTooLargeException.class).hasMessageContaining("larger than 1 MiB");
  }

  @Test
  void readUtf8_declaredLengthOverTheCap_isRefusedBeforeReading() {
    Response r = response(ResponseBody.create("x".repeat(101), MediaType.get("text/plain")));

    assertThatThrownBy(() -> Bodies.readUtf8(r, 100)).isInstanceOf(Bodies.BodyTooLargeException.class)
        .hasMessageContaining("larger than 100 bytes (Content-Length 101)");
  }

  @Test
  void readUtf8_multibyteText_isDecodedAsUtf8() throws Exception {
    Response r = response(ResponseBody.create("Grüße – ✓", MediaType.get("text/plain")));

    assertThat(Bodies.readUtf8(r, CAP)).isEqualTo("Grüße – ✓");
  }

  @Test
  void durations_format_isTheShortestHumanForm() {
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5x", "-1s", "1.5h", "PT", "P1Y", "1h30m"})
  void durations_parse_unknownForm_saysWhichFormsAreAccepted(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("90s").hasMessageContaining("PT90S");
  }

  @Test
  void durations_parse_acceptsUpperCaseUnitsAndSpaces() {
    assertThat(Durations.parse("90 S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
  }
}
