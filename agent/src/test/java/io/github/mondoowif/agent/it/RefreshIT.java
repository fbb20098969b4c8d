package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mondoowif.agent.it.apps.RefreshApp;
import io.github.mondoowif.internal.Secrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshIT {
  private final FakeIdentity fake = new FakeIdentity();
  @TempDir Path dir;

  RefreshIT() throws Exception {}

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void refresh_shortLivedCredential_everyOutputIsReplacedBeforeExpiryAndNoSecretIsPrinted() throws Exception {
    fake.lifetime = Duration.ofSeconds(24);
    Path file = dir.resolve("mondoo.json");

    Jvm.Result r = Jvm.withAgent(fake.agentArgs("output-file=" + file, "debug=true"))
        .env("MSI_ENDPOINT", fake.msiEndpoint())
        .run(RefreshApp.class, "40000", file.toString());

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(fake.issued).as(r.toString()).hasSizeGreaterThanOrEqualTo(2);
    String first = fake.issued.get(0);
    String second = fake.issued.get(1);
    assertThat(r.value("first")).isEqualTo(Secrets.fingerprint(first));
    assertThat(r.value("second")).isEqualTo(Secrets.fingerprint(second));
    assertThat(Long.parseLong(r.value("secondAt"))).as("replaced before the first one expired")
        .isLessThan(fake.expiries.get(0).toEpochMilli());
    assertThat(r.value("childAfterRefresh")).isEqualTo(Secrets.fingerprint(second));

    // The file: owner-only from creation, replaced (a new inode) rather than rewritten, no temp files left.
    assertThat(r.value("fileMode1")).isEqualTo("rw-------");
    assertThat(r.value("fileMode2")).isEqualTo("rw-------");
    assertThat(r.value("fileFp1")).isEqualTo(Secrets.fingerprint(json(first)));
    assertThat(r.value("fileFp2")).isEqualTo(Secrets.fingerprint(json(second)));
    assertThat(r.value("fileIno2")).isNotEqualTo(r.value("fileIno1"));
    assertThat(r.value("dirEntries1")).isEqualTo("1");
    assertThat(r.value("dirEntries2")).isEqualTo("1");
    assertThat(file).as("removed when the JVM exits").doesNotExist();

    // Even with debug=true, nothing secret reaches any output.
    String everything = r.stdout + r.stderr;
    for (String credential : fake.issued) {
      assertThat(everything).doesNotContain(credential).doesNotContain(privateKeyBody(credential));
    }
    assertThat(everything).doesNotContain(fake.azureToken).doesNotContain(fake.azureToken.split("\\.")[2]);
    assertThat(r.stderr).contains("[debug]").doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static String json(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** A long run of the PEM body of the credential's private key. */
  private static String privateKeyBody(String base64) {
    String j = json(base64);
    int start = j.indexOf("-----BEGIN PRIVATE KEY-----") + "-----BEGIN PRIVATE KEY-----".length();
    return j.substring(start, start + 60).replace("\\n", "").trim().substring(0, 40);
  }

  static String read(Path p) throws Exception {
    return Files.readString(p);
  }
}
