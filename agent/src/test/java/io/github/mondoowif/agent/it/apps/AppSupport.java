package io.github.mondoowif.agent.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * JDK-only helpers for the test applications: they print fingerprints of what they saw, never the credential
 * itself, so the tests can also assert that nothing secret reaches any output.
 */
final class AppSupport {
  static final String PROPERTY = "mondoo.config.base64";

  private AppSupport() {}

  /** The first 12 hex digits of SHA-256, as the library computes them; "none" for null or empty. */
  static String fp(String value) {
    if (value == null || value.isEmpty()) {
      return "none";
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(String.format("%02x", b));
      }
      return sb.substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The mrn inside a base64 credential, found without a JSON library. */
  static String mrn(String base64) {
    if (base64 == null) {
      return "none";
    }
    String json = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    int i = json.indexOf("\"mrn\":\"");
    return i < 0 ? "none" : json.substring(i + 7, json.indexOf('"', i + 7));
  }

  /** Waits for a started child and returns what it printed on stdout. */
  static String output(Process p) throws IOException, InterruptedException {
    try (InputStream in = p.getInputStream()) {
      String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("child did not finish");
      }
      return out.trim();
    }
  }

  /** Prints mode, inode, content fingerprint of {@code file} and how many other files its directory holds. */
  static void describeFile(java.nio.file.Path file, String suffix) throws IOException {
    java.nio.file.Path dir = file.toAbsolutePath().getParent();
    // The file is replaced after the property is set: wait (bounded) until its content matches.
    String expected = System.getProperty(PROPERTY);
    String json = expected == null ? null
        : new String(Base64.getDecoder().decode(expected), StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(file)
          && new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.UTF_8).equals(json)) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    System.out.println("fileMode" + suffix + "="
        + java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)));
    System.out.println("fileIno" + suffix + "=" + java.nio.file.Files.getAttribute(file, "unix:ino"));
    System.out.println("fileFp" + suffix + "=" + fp(new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.UTF_8)));
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
      System.out.println("dirEntries" + suffix + "=" + s.count());
    }
  }

  /** Polls the property until it differs from {@code from}, for at most {@code millis}; null on timeout. */
  static String awaitChange(String from, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      String now = System.getProperty(PROPERTY);
      if (now != null && !now.equals(from)) {
        return now;
      }
      Thread.sleep(20); // a test application polling a property: there is no change notification
    }
    return null;
  }
}
