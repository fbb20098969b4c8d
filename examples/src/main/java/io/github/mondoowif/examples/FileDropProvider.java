package io.github.mondoowif.examples;

import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A third-party identity source: a JWT that another tool drops into a file (a sidecar, a vault agent),
 * named by {@code EXAMPLE_TOKEN_PATH}. Registered in this jar's
 * {@code META-INF/services/io.github.mondoowif.spi.CredentialProvider}; nothing else is needed for the
 * library to find it.
 */
public final class FileDropProvider implements CredentialProvider {
  public static final String NAME = "example-file-drop";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Applicability applicability(ProviderContext context) {
    // Cheap and bounded: an environment lookup, never I/O that could hang.
    String path = context.env("EXAMPLE_TOKEN_PATH");
    return path == null
        ? Applicability.notApplicable("EXAMPLE_TOKEN_PATH is not set")
        : Applicability.applicable("EXAMPLE_TOKEN_PATH is set");
  }

  @Override
  public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
    Path path = Paths.get(context.env("EXAMPLE_TOKEN_PATH"));
    try {
      String jwt = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).trim();
      if (jwt.isEmpty()) {
        throw new TokenSourceException(NAME, path + " is empty; has the other tool written it yet?");
      }
      // The file is rewritten by the other tool: never reuse what was read.
      return SubjectToken.of(jwt, null).notReusable();
    } catch (IOException e) {
      throw new TokenSourceException(NAME, path.toString(), 0, true,
          "cannot read " + path + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
