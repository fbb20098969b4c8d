package io.github.mondoowif.examples;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.MondooWifException;

/**
 * Uses {@link FileDropProvider}, a provider that is not part of the library: it is found through this
 * jar's {@code META-INF/services} entry, exactly like a JDBC driver.
 *
 * <pre>
 * EXAMPLE_TOKEN_PATH=/run/secrets/oidc-token MONDOO_WIF_SOURCE=example-file-drop \
 * MONDOO_WIF_AUDIENCE=… MONDOO_WIF_ISSUER=… java -cp … io.github.mondoowif.examples.CustomProviderExample
 * </pre>
 */
public final class CustomProviderExample {
  private CustomProviderExample() {}

  public static void main(String[] args) {
    try (MondooCredentials credentials = MondooCredentials.create(MondooWifConfig.load())) {
      MondooCredential credential = credentials.credential();
      System.out.println("obtained " + credential.mrn() + " through " + credential.provider());
    } catch (MondooWifException e) {
      System.err.println("no Mondoo credential: " + e.getMessage());
      System.exit(1);
    }
  }
}
