package io.github.mondoowif.internal.file;

import io.github.mondoowif.internal.Secrets;
import io.github.mondoowif.internal.jwt.JwtClaims;
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
import java.time.Instant;
import java.util.Optional;

/**
 * Reads an identity token from a file that something else keeps fresh (the kubelet's projected
 * service-account token, a SPIFFE helper's JWT-SVID): read whole on every call, capped, trimmed, and
 * checked to be a JWT. Internal.
 */
public final class TokenFiles {
  /** Far above any real JWT (a few KiB), far below anything that could hurt. */
  public static final int MAX_BYTES = 64 * 1024;

  private TokenFiles() {}

  /** The path named by a setting or an environment variable, or a message saying why it is not one. */
  public static Path path(String source, String named, String value) throws TokenSourceException {
    try {
      return Paths.get(value.trim());
    } catch (InvalidPathException e) {
      throw new TokenSourceException(source, named + " is not a valid path: \"" + value + "\"");
    }
  }

  /**
   * The file's content, trimmed, which must be a JWT.
   *
   * @param named what named the file, for messages ("AZURE_FEDERATED_TOKEN_FILE")
   */
  public static String readJwt(String source, Path file, String named) throws TokenSourceException {
    String where = file + " (named by " + named + ")";
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // Opening a FIFO nobody writes blocks for good: the exchange would never end, and with it every
      // later refresh. A directory or device is never a token either.
      throw new TokenSourceException(source, file.toString(), 0, false,
          "the token file " + where + " is not a regular file: it must be the file that holds the token", null);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new TokenSourceException(source, file.toString(), 0, true,
          "the token file " + where + " does not exist: is the volume that holds it mounted?", null);
    } catch (AccessDeniedException e) {
      throw new TokenSourceException(source, file.toString(), 0, false,
          "the token file " + where + " cannot be read: permission denied for this process's user", null);
    } catch (IOException e) {
      throw new TokenSourceException(source, file.toString(), 0, true,
          "the token file " + where + " cannot be read: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null);
    }
    if (bytes.length > MAX_BYTES) {
      throw new TokenSourceException(source, file.toString(), 0, false,
          "the token file " + where + " is larger than " + MAX_BYTES / 1024 + " KiB: not a token", null);
    }
    String token = new String(bytes, StandardCharsets.UTF_8).trim();
    if (token.isEmpty()) {
      throw new TokenSourceException(source, file.toString(), 0, true,
          "the token file " + where + " is empty: whatever writes it has not written a token yet", null);
    }
    if (JwtClaims.tryDecode(token).isEmpty()) {
      throw new TokenSourceException(source, file.toString(), 0, false,
          "the token file " + where + " does not hold a JWT (sha256=" + Secrets.fingerprint(token)
              + ", " + token.length() + " characters): it must hold one compact JWT, header.payload.signature", null);
    }
    return token;
  }

  /** The token's {@code exp}, or {@code null}. */
  public static Instant expiry(String jwt) {
    Optional<JwtClaims> claims = JwtClaims.tryDecode(jwt);
    return claims.map(JwtClaims::expiresAt).orElse(null);
  }
}
