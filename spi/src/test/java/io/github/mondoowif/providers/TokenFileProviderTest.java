package io.github.mondoowif.providers;

import static io.github.mondoowif.providers.ProviderTesting.NOW;
import static io.github.mondoowif.providers.ProviderTesting.runtime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.file.TokenFileProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileProviderTest {
  @TempDir Path dir;
  final TokenFileProvider provider = new TokenFileProvider();

  static String token(String sub, long validFor) {
    return ProviderTesting.jwt("https://kubernetes.default.svc", sub, "mondoo", NOW.plusSeconds(validFor));
  }

  MondooWifConfig config(Path file) {
    return ProviderTesting.config(b -> b.setting("token-file", file.toString()));
  }

  @Test
  void applicability_settingPresent_appliesAndSaysWhereItCameFrom() {
    var answer = provider.applicability(runtime(config(dir.resolve("t")), Map.of()));
    assertThat(answer.applicable()).isTrue();
    assertThat(answer.reason()).contains("mondoo.wif.token-file", "builder");
  }

  @Test
  void applicability_settingAbsent_doesNotApply() {
    assertThat(provider.applicability(runtime(Map.of())).applicable()).isFalse();
  }

  @Test
  void fetchToken_projectedToken_isReadTrimmedAndNeverReused() throws Exception {
    String jwt = token("system:serviceaccount:ns:app", 3600);
    Path file = Files.writeString(dir.resolve("token"), jwt + "\n");

    SubjectToken token = provider.fetchToken(runtime(config(file), Map.of()));

    assertThat(token.value()).isEqualTo(jwt);
    assertThat(token.expiresAt()).contains(NOW.plusSeconds(3600));
    assertThat(token.reusable()).isFalse();
  }

  @Test
  void fetchToken_fileRotated_returnsTheNewContent() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), token("first", 3600));
    ProviderRuntime rt = runtime(config(file), Map.of());
    provider.fetchToken(rt);
    String rotated = token("second", 7200);
    Files.writeString(file, rotated);

    assertThat(provider.fetchToken(rt).value()).isEqualTo(rotated);
  }

  @Test
  void fetchToken_missingFile_namesItAndTheSetting() {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(missing), Map.of())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains(missing.toString(), "mondoo.wif.token-file", "does not exist");
        });
  }

  @Test
  void fetchToken_emptyFile_saysNothingWasWrittenYet() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  \n");
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(file), Map.of())))
        .hasMessageContaining("is empty");
  }

  @Test
  void fetchToken_notAJwt_refusedWithoutQuotingTheContent() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "super-secret-opaque");
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(file), Map.of())))
        .hasMessageContaining("does not hold a JWT")
        .hasMessageNotContaining("super-secret-opaque");
  }

  @Test
  void fetchToken_expiredToken_saysTheWriterIsNotRefreshing() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), token("old", -60));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(file), Map.of())))
        .isInstanceOfSatisfying(TokenSourceException.class, e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("expired at " + NOW.minusSeconds(60), "not refreshing");
        });
  }

  @Test
  void fetchToken_hugeFile_isRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "a".repeat(70_000));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(file), Map.of())))
        .hasMessageContaining("larger than 64 KiB");
  }

  @Test
  void fetchToken_fifoNobodyWrites_refusedAtOnceInsteadOfBlocking() throws Exception {
    Path fifo = dir.resolve("token.fifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");

    Throwable thrown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
        () -> org.assertj.core.api.Assertions.catchThrowable(() -> provider.fetchToken(runtime(config(fifo), Map.of()))));

    assertThat(thrown).isInstanceOf(TokenSourceException.class)
        .hasMessageContaining(fifo.toString()).hasMessageContaining("is not a regular file");
  }

  @Test
  void fetchToken_directory_refusedAsNotARegularFile() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("token"));
    assertThatThrownBy(() -> provider.fetchToken(runtime(config(directory), Map.of())))
        .hasMessageContaining("is not a regular file");
  }
}
