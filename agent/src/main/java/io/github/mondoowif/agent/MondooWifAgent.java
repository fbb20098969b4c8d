package io.github.mondoowif.agent;

import io.github.mondoowif.agent.internal.AgentStartup;
import java.lang.instrument.Instrumentation;

/**
 * The {@code Premain-Class} and {@code Agent-Class} of {@code mondoo-wif-agent.jar}: keyless Mondoo
 * credentials for any JVM, without code changes.
 *
 * <pre>
 * java -javaagent:mondoo-wif-agent.jar=audience=//captain.api.mondoo.app/spaces/&lt;id&gt;,issuer=https://sts.windows.net/&lt;tenant&gt;/ -jar app.jar
 * </pre>
 *
 * <p>Before {@code main()} runs, the system property {@code mondoo.config.base64} holds a valid credential,
 * kept fresh for as long as the JVM lives, and every child process finds {@code MONDOO_CONFIG_BASE64} in
 * its environment. Arguments are {@code key=value} pairs separated by commas; a key is a
 * {@code mondoo.wif.*} setting without the prefix.
 *
 * <p>Nothing thrown here may escape: an exception out of {@code premain} aborts the JVM.
 */
public final class MondooWifAgent {
  private MondooWifAgent() {}

  /** Called by the JVM before {@code main()} for {@code -javaagent}. */
  public static void premain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, false);
  }

  /** Called when the agent is attached to a running JVM. */
  public static void agentmain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, true);
  }

  private static void start(String args, Instrumentation instrumentation, boolean attached) {
    try {
      AgentStartup.start(args, instrumentation, attached);
    } catch (Throwable t) {
      try {
        System.err.println("mondoo-wif agent: not started, the application runs without it: internal error "
            + t.getClass().getName() + "; please report it (run with mondoo.wif.debug=true for details)");
      } catch (Throwable ignored) {
        // stderr itself is broken: stay silent rather than abort the JVM
      }
    }
  }
}
