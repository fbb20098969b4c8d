package io.github.mondoowif.internal.azure;

import io.github.mondoowif.spi.TokenSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The key file an Azure Arc agent names in its {@code WWW-Authenticate: Basic realm=<path>} challenge.
 * Whoever answers on the endpoint port chooses that path, so it is checked before anything is read: the
 * file must sit directly in the agent's tokens directory (as written and after resolving symlinks), be a
 * regular {@code .key} file of at most 4096 bytes. Its content is the secret sent back; it never appears
 * in a message. Internal.
 */
final class ArcKeyFile {
  static final int MAX_BYTES = 4096;

  private ArcKeyFile() {}

  /** The key to send, read from the challenged {@code realm} after validation against {@code tokensDir}. */
  static String read(String source, String realm, Path tokensDir) throws TokenSourceException {
    String shown = "\"" + printable(realm) + "\"";
    Path path;
    try {
      path = Paths.get(realm);
    } catch (InvalidPathException e) {
      throw refuse(source, shown, "not a valid path");
    }
    if (!path.isAbsolute()) {
      throw refuse(source, shown, "not an absolute path");
    }
    for (Path element : path) {
      String name = element.toString();
      if (name.equals("..") || name.equals(".")) {
        throw refuse(source, shown, "it contains a \"" + name + "\" segment");
      }
    }
    Path fileName = path.getFileName();
    if (fileName == null || !fileName.toString().endsWith(".key")) {
      throw refuse(source, shown, "the file name does not end in .key");
    }
    Path dir = tokensDir.toAbsolutePath().normalize();
    if (!dir.equals(path.getParent())) {
      throw refuse(source, shown, "it is not directly in the Arc tokens directory " + dir);
    }
    Path realDir;
    Path realFile;
    try {
      realDir = dir.toRealPath();
      realFile = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new TokenSourceException(source, realm, 0, true,
          "the Arc key file " + shown + " does not exist (the agent writes it just before answering; is the "
              + "himds service running?)", null);
    } catch (AccessDeniedException e) {
      throw permissionDenied(source, shown);
    } catch (IOException e) {
      throw new TokenSourceException(source, realm, 0, true,
          "cannot resolve the Arc key file " + shown + ": " + e.getClass().getSimpleName(), null);
    }
    if (!realDir.equals(realFile.getParent())) {
      throw refuse(source, shown, "it resolves to " + realFile + ", outside the tokens directory " + realDir);
    }
    if (!Files.isRegularFile(realFile)) {
      throw refuse(source, shown, "it is not a regular file");
    }
    byte[] bytes;
    try {
      if (Files.size(realFile) > MAX_BYTES) {
        throw refuse(source, shown, "it is larger than " + MAX_BYTES + " bytes");
      }
      try (InputStream in = Files.newInputStream(realFile)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (AccessDeniedException e) {
      throw permissionDenied(source, shown);
    } catch (IOException e) {
      throw new TokenSourceException(source, realm, 0, true,
          "cannot read the Arc key file " + shown + ": " + e.getClass().getSimpleName(), null);
    }
    if (bytes.length > MAX_BYTES) {
      throw refuse(source, shown, "it is larger than " + MAX_BYTES + " bytes");
    }
    String key = new String(bytes, StandardCharsets.UTF_8).trim();
    if (key.isEmpty()) {
      throw refuse(source, shown, "it is empty");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        throw refuse(source, shown, "it holds a character that cannot go into an HTTP header (at position " + i + ")");
      }
    }
    return key;
  }

  /**
   * The realm as it may be shown: it is a path, not a secret, but it comes from whoever answered, so
   * control characters are replaced and the length is capped. (Secrets.excerpt would redact it: a long
   * path looks like a base64 run.)
   */
  static String printable(String realm) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < realm.length() && sb.length() < 300; i++) {
      char c = realm.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return realm.length() > 300 ? sb + "…" : sb.toString();
  }

  /** The message for a key file this process may not read. */
  static TokenSourceException permissionDenied(String source, String shown) {
    return new TokenSourceException(source, null, 0, false,
        "cannot read the Arc key file " + shown + ": permission denied. Only root and the himds group may read "
            + "it: run as root or in the himds group (sudo usermod -a -G himds <user>, then log in again)", null);
  }

  private static TokenSourceException refuse(String source, String shown, String why) {
    return new TokenSourceException(source, null, 0, false,
        "refused the Arc challenge's key file " + shown + ": " + why
            + ". The endpoint named a file the Arc agent would not use: a misconfiguration, or something else "
            + "answering on the agent's port", null);
  }
}
