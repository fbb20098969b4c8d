package io.github.mondoowif.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFileTest {
  private static final String SECRET = "{\"mrn\":\"m\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\"}";

  @TempDir Path dir;

  @Test
  void write_newFile_hasContentAndOwnerOnlyMode() throws Exception {
    Path target = dir.resolve("mondoo.json");

    CredentialFile.write(target, SECRET);

    assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo(SECRET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
  }

  @Test
  void write_existingWorldReadableFile_replacedWithOwnerOnlyFile() throws Exception {
    Path target = dir.resolve("mondoo.json");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Object inodeBefore = Files.readAttributes(target, "unix:ino").get("ino");

    CredentialFile.write(target, SECRET);

    assertThat(Files.readString(target)).isEqualTo(SECRET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    // A rename, not an overwrite in place: a reader holding the old file never sees a half-written one.
    assertThat(Files.readAttributes(target, "unix:ino").get("ino")).isNotEqualTo(inodeBefore);
  }

  @Test
  void write_twice_leavesNoTemporaryFiles() throws Exception {
    Path target = dir.resolve("mondoo.json");

    CredentialFile.write(target, "one");
    CredentialFile.write(target, "two");

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
    assertThat(Files.readString(target)).isEqualTo("two");
  }

  @Test
  void write_missingDirectory_throwsNamingDirectoryAndFix() {
    Path target = dir.resolve("nope/mondoo.json");

    assertThatThrownBy(() -> CredentialFile.write(target, SECRET))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve("nope") + " does not exist")
        .hasMessageContaining("create it")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY"));
  }

  @Test
  void write_parentIsRegularFile_throwsSayingNotADirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "x");

    assertThatThrownBy(() -> CredentialFile.write(file.resolve("mondoo.json"), SECRET))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file + " is not a directory");
  }

  @Test
  void write_targetIsDirectory_throwsSayingSo() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));

    assertThatThrownBy(() -> CredentialFile.write(sub, SECRET))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("that path is a directory");
  }

  @Test
  void write_unwritableDirectory_throwsSayingNotWritable() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root writes into read-only directories");
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
    try {
      assertThatThrownBy(() -> CredentialFile.write(ro.resolve("mondoo.json"), SECRET))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not writable");
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
    }
  }
}
