package io.github.mondoowif.benchmarks.apps;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;

/**
 * First credential through the library, in a fresh JVM: {@code MondooCredentials.get()} with the
 * configuration from the environment ({@code MONDOO_WIF_*}, {@code MSI_ENDPOINT}), as an application would.
 */
public final class LibraryApp {
  private LibraryApp() {}

  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    MondooCredential credential = MondooCredentials.get();
    long credentialAt = System.currentTimeMillis();
    System.out.println("mainAt=" + mainAt);
    System.out.println("credentialAt=" + credentialAt);
    System.out.println("credential=" + credential.base64Config());
    System.out.println("provider=" + credential.provider());
    System.out.flush();
    System.exit(0);
  }
}
