package io.github.mondoowif.agent.internal;

import io.github.mondoowif.MondooCredential;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code mondoo.wif.output-file}: the decoded credential JSON, for any process on the host through
 * {@code MONDOO_CONFIG_PATH=<path>}. Internal.
 *
 * <p>Readers never see a partial or a world-readable file: each credential goes into a temporary file in the
 * same directory, created with mode 0600, which then replaces the target in one atomic rename.
 */
final class FileOutput {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path target;
  private final Path directory;

  FileOutput(Path target) {
    this.target = target.toAbsolutePath().normalize();
    Path parent = this.target.getParent();
    this.directory = parent != null ? parent : this.target.getRoot();
  }

  Path target() {
    return target;
  }

  /**
   * What stands in the way of writing the file, as a sentence for the user, or {@code null} when the
   * directory exists and is writable. Checked at start so the problem shows before the first credential.
   */
  String problem() {
    if (!Files.exists(directory)) {
      return "the directory " + directory + " does not exist; create it or choose another path";
    }
    if (!Files.isDirectory(directory)) {
      return directory + " is not a directory";
    }
    if (!Files.isWritable(directory)) {
      return "the directory " + directory + " is not writable by this process (user "
          + System.getProperty("user.name") + "); the file is replaced by a rename, so the directory itself must "
          + "be writable";
    }
    if (Files.isDirectory(target)) {
      return target + " is a directory; name a file";
    }
    return null;
  }

  /** Atomically replaces the file with {@code credential}'s JSON. */
  void write(MondooCredential credential) throws IOException {
    byte[] json = credential.configJson().getBytes(StandardCharsets.UTF_8);
    Path tmp = createTemp();
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(json);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private Path createTemp() throws IOException {
    String prefix = "." + target.getFileName() + ".";
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      return Files.createTempFile(directory, prefix, ".tmp", mode);
    }
    return Files.createTempFile(directory, prefix, ".tmp");
  }

  /** Removes the file when the JVM exits: the credential is of no use without the JVM that refreshes it. */
  void delete() {
    try {
      Files.deleteIfExists(target);
    } catch (IOException | RuntimeException e) {
      // best effort at shutdown
    }
  }

  /** A sentence for a failed write: what failed and what to check. Never the content. */
  String describe(IOException e) {
    String why;
    if (e instanceof AccessDeniedException) {
      why = "permission denied on " + ((FileSystemException) e).getFile();
    } else if (e instanceof NoSuchFileException) {
      why = "the directory " + directory + " does not exist";
    } else {
      why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
    return "cannot write mondoo.wif.output-file " + target + ": " + why
        + "; check that the directory exists and this process (user " + System.getProperty("user.name")
        + ") may create files in it";
  }
}
