package io.github.mondoowif.examples;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifException;

/**
 * The library in an ordinary application: one call, no key on disk.
 *
 * <pre>
 * MONDOO_WIF_AUDIENCE=//captain.api.mondoo.app/spaces/&lt;space-id&gt; \
 * MONDOO_WIF_ISSUER=https://sts.windows.net/&lt;tenant-id&gt;/ \
 * java -cp examples/target/mondoo-wif-examples-*.jar:… io.github.mondoowif.examples.PlainSpiExample
 * </pre>
 */
public final class PlainSpiExample {
  private PlainSpiExample() {}

  public static void main(String[] args) {
    try {
      // Picks the identity source, exchanges its token at Mondoo's STS, caches and refreshes the result.
      MondooCredential credential = MondooCredentials.get();
      System.out.println("service account " + credential.mrn());
      System.out.println("space           " + credential.scopeMrn());
      System.out.println("valid until     " + credential.expiresAt());
      System.out.println("identity source " + credential.provider());
      // credential.base64Config() is the value for MONDOO_CONFIG_BASE64: a secret, so not printed.
    } catch (MondooWifException e) {
      System.err.println("no Mondoo credential: " + e.getMessage());
      System.exit(1);
    }
  }
}
