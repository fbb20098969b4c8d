package io.github.mondoowif.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDropProviderTest {
  @TempDir Path dir;

  private ProviderRuntime runtime(Map<String, String> env) throws Exception {
    MondooWifConfig config = MondooWifConfig.builder().audience("//captain.api.mondoo.app/spaces/x").build();
    return ProviderRuntime.builder(config).env(env).build();
  }

  @Test
  void load_examplesJarOnClassPath_discoversTheProviderAheadOfTheBuiltIns() {
    ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());

    assertThat(registry.providers()).first().extracting(CredentialProvider::name).isEqualTo(FileDropProvider.NAME);
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void fetchToken_fileWritten_returnsItTrimmedAndNeverReused() throws Exception {
    Path token = dir.resolve("token");
    Files.write(token, "header.payload.signature\n".getBytes(StandardCharsets.UTF_8));

    SubjectToken t = new FileDropProvider().fetchToken(runtime(Map.of("EXAMPLE_TOKEN_PATH", token.toString())));

    assertThat(t.value()).isEqualTo("header.payload.signature");
    assertThat(t.reusable()).isFalse();
  }

  @Test
  void applicability_noPath_saysWhichVariableIsMissing() throws Exception {
    assertThat(new FileDropProvider().applicability(runtime(Map.of())).reason()).contains("EXAMPLE_TOKEN_PATH");
  }

  @Test
  void fetchToken_emptyFile_saysSo() throws Exception {
    Path token = Files.createFile(dir.resolve("empty"));

    assertThatThrownBy(() -> new FileDropProvider().fetchToken(runtime(Map.of("EXAMPLE_TOKEN_PATH", token.toString()))))
        .isInstanceOf(TokenSourceException.class)
        .hasMessageContaining("is empty");
  }
}
