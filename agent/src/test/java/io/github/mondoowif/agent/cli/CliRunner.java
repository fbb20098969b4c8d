package io.github.mondoowif.agent.cli;

import io.github.mondoowif.testing.FakeMondoo;
import io.github.mondoowif.testing.FakeMondooApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Runs the CLI in-process with an injected environment, capturing what it prints. */
final class CliRunner {
  private CliRunner() {}

  record Result(int status, String out, String err) {}

  /**
   * The environment of a healthy Cloud Shell against {@code fake}. Every metadata host that a provider might
   * probe points at a closed loopback port: a test never reaches a real metadata service.
   */
  static Map<String, String> cloudShell(FakeMondooApi fake) {
    Map<String, String> env = offAzure();
    env.put("MSI_ENDPOINT", fake.cloudShellEndpoint());
    env.put("MONDOO_WIF_AUDIENCE", FakeMondoo.SPACE);
    env.put("MONDOO_WIF_ISSUER", FakeMondoo.ISSUER);
    env.put("MONDOO_WIF_AZURE_RESOURCE", FakeMondooApi.RESOURCE);
    return env;
  }

  /**
   * No identity source at all: IMDS on a closed loopback port. GCP's probe goes to the build's
   * mondoo.wif.internal.gcp-default-host, also a closed loopback port; GCE_METADATA_HOST stays unset
   * because setting it alone means "on Google Cloud".
   */
  static Map<String, String> offAzure() {
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9");
    return env;
  }

  static Result run(Map<String, String> env, String... args) {
    return run(env, Clock.systemUTC(), args);
  }

  static Result run(Map<String, String> env, Clock clock, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext ctx = new CliContext(env, new Properties(), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        clock, Duration.ofMillis(20), false);
    int status = Cli.run(args, ctx);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

}
