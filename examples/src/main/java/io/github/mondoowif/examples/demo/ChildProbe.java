package io.github.mondoowif.examples.demo;

import io.github.mondoowif.internal.Secrets;

/**
 * The demo's stand-in for {@code cnspec}: a separate process that reports whether it received
 * {@code MONDOO_CONFIG_BASE64}, by fingerprint only.
 */
public final class ChildProbe {
  private ChildProbe() {}

  public static void main(String[] args) {
    String value = System.getenv("MONDOO_CONFIG_BASE64");
    System.out.println(value == null ? "MONDOO_CONFIG_BASE64 missing" : "MONDOO_CONFIG_BASE64 sha256=" + Secrets.fingerprint(value));
  }
}
