package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.testing.FakeMondoo;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutputTest {
  @TempDir Path dir;

  static MondooCredential credential() throws Exception {
    Instant now = Instant.now();
    return MondooCredential.parse(FakeMondoo.base64Credential(now.plusSeconds(3600)), "test", now, Duration.ofHours(1));
  }

  @Test
  void write_newFile_holdsTheDecodedJsonWithOwnerOnlyMode() throws Exception {
    MondooCredential c = credential();
    FileOutput out = new FileOutput(dir.resolve("mondoo.json"));

    out.write(c);

    assertThat(Files.readString(dir.resolve("mondoo.json"))).isEqualTo(c.configJson());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("mondoo.json"))))
        .isEqualTo("rw-------");
  }

  @Test
  void write_existingFile_isReplacedByANewFileAndNoTemporaryFileRemains() throws Exception {
    Path target = dir.resolve("mondoo.json");
    FileOutput out = new FileOutput(target);
    out.write(credential());
    Object inode = Files.getAttribute(target, "unix:ino");
    MondooCredential second = credential();

    out.write(second);

    assertThat(Files.readString(target)).isEqualTo(second.configJson());
    assertThat(Files.getAttribute(target, "unix:ino")).isNotEqualTo(inode);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void problem_missingDirectory_namesItAndSaysWhatToDo() {
    Path missing = dir.resolve("nope");

    assertThat(new FileOutput(missing.resolve("mondoo.json")).problem())
        .contains(missing.toString()).contains("does not exist").contains("create it");
  }

  @Test
  void problem_targetIsADirectory_saysSo() throws IOException {
    Files.createDirectory(dir.resolve("sub"));

    assertThat(new FileOutput(dir.resolve("sub")).problem()).contains("is a directory");
  }

  @Test
  void problem_writableDirectory_none() {
    assertThat(new FileOutput(dir.resolve("mondoo.json")).problem()).isNull();
  }

  @Test
  void describe_accessDenied_namesFileUserAndWhatToCheckButNoContent() {
    FileOutput out = new FileOutput(dir.resolve("mondoo.json"));

    String line = out.describe(new AccessDeniedException(dir.toString()));

    assertThat(line).contains("cannot write mondoo.wif.output-file " + dir.resolve("mondoo.json"))
        .contains("permission denied on " + dir).contains("user " + System.getProperty("user.name"));
  }

  @Test
  void delete_removesTheFile() throws Exception {
    FileOutput out = new FileOutput(dir.resolve("mondoo.json"));
    out.write(credential());

    out.delete();

    assertThat(dir.resolve("mondoo.json")).doesNotExist();
  }
}
