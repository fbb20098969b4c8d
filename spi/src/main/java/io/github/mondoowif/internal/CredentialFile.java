package io.github.mondoowif.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a credential file the way a secret must be written: readable by the owner only (0600 from the
 * moment it exists, never widened afterwards), and replaced atomically so that a reader (a Mondoo CLI
 * through {@code MONDOO_CONFIG_PATH}) never sees half a file. The one implementation, shared by the agent's
 * file output and the CLI's {@code write}. Internal, may change.
 */
public final class CredentialFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private CredentialFile() {}

  /**
   * Replaces {@code target} with {@code content} (UTF-8): a temporary file in the same directory, created
   * 0600 where the file system has POSIX permissions, flushed to disk, then moved over the target.
   *
   * @throws IOException whose message names the file, the directory and what to fix; never the content
   */
  public static void write(Path target, String content) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path dir = absolute.getParent();
    if (dir == null) {
      throw new IOException("cannot write the credential file " + absolute + ": it has no parent directory");
    }
    if (!Files.exists(dir)) {
      throw new IOException("cannot write the credential file " + absolute + ": the directory " + dir
          + " does not exist; create it (mode 0700) or choose another path");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("cannot write the credential file " + absolute + ": " + dir + " is not a directory");
    }
    if (Files.isDirectory(absolute)) {
      throw new IOException("cannot write the credential file " + absolute + ": that path is a directory");
    }
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
    Path tmp;
    try {
      tmp = posix
          ? Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp", ownerOnly())
          : Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    } catch (AccessDeniedException e) {
      throw new IOException("cannot write the credential file " + absolute + ": the directory " + dir
          + " is not writable by this user; choose a directory this process may write to", e);
    } catch (FileSystemException e) {
      throw new IOException("cannot write the credential file " + absolute + " in " + dir + ": " + reason(e), e);
    }
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Same directory, so this is rare (some network file systems); a plain replace is the best left.
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original failure is what matters
      }
      throw new IOException("cannot write the credential file " + absolute + ": " + reason(e), e);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  }

  private static String reason(IOException e) {
    String r = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
    return e.getClass().getSimpleName() + (r == null ? "" : " (" + r + ")");
  }
}
