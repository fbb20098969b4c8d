package io.github.mondoowif.examples;

import java.io.IOException;
import java.util.List;

/**
 * Zero-code: this application knows nothing about Mondoo's STS. Run it under the agent and it finds a
 * fresh credential in the system property {@code mondoo.config.base64}, and every child it starts finds
 * {@code MONDOO_CONFIG_BASE64} in its environment, which is all {@code cnspec} and {@code cnquery} need.
 *
 * <pre>
 * java -javaagent:agent/target/mondoo-wif-agent.jar=audience=//captain.api.mondoo.app/spaces/&lt;id&gt; \
 *      -cp examples/target/classes io.github.mondoowif.examples.AgentExample cnspec scan local
 * </pre>
 */
public final class AgentExample {
  private AgentExample() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    String credential = System.getProperty("mondoo.config.base64");
    System.out.println(credential == null
        ? "mondoo.config.base64 is not set: run with -javaagent:mondoo-wif-agent.jar=…"
        : "mondoo.config.base64 is set (" + credential.length() + " characters)");
    List<String> command = args.length > 0
        ? List.of(args)
        : List.of("sh", "-c", "echo child sees MONDOO_CONFIG_BASE64: ${MONDOO_CONFIG_BASE64:+yes}");
    // An ordinary ProcessBuilder: the agent adds MONDOO_CONFIG_BASE64 to the child's environment.
    Process child = new ProcessBuilder(command).inheritIO().start();
    System.exit(child.waitFor());
  }
}
