package io.github.mondoowif.agent.internal;

import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.lang.ProcessBuilder}'s instance {@code start} methods: the child gets
 * {@code MONDOO_CONFIG_BASE64} = the credential current at spawn time. {@code Runtime.exec} and
 * {@code ProcessBuilder.startPipeline} both end in these methods. Internal.
 *
 * <p>The code runs inside a bootstrap class, so it references only JDK types, and string constants the
 * compiler inlines. It reads its inputs from system properties the agent maintains: the credential
 * ({@value #CREDENTIAL_PROPERTY}) and the resolved injection policy ({@value #POLICY_PROPERTY}: {@code all},
 * {@code none}, or executable base names separated by commas).
 *
 * <p>The variable is added only for the duration of the call and the builder is left as it was found, so a
 * builder that starts several children gives each the credential current at its own start. A value the
 * application put into the builder's environment itself wins; the value this JVM inherited from its parent
 * does not, since it is older than the agent's.
 */
public final class ProcessBuilderAdvice {
  static final String VARIABLE = "MONDOO_CONFIG_BASE64";
  static final String CREDENTIAL_PROPERTY = "mondoo.config.base64";
  static final String POLICY_PROPERTY = "mondoo.wif.agent.inject-env";

  private ProcessBuilderAdvice() {}

  /**
   * @return what to restore on exit: {@code null} when nothing was changed, {@code ""} when the variable was
   *     absent, otherwise the inherited value that was replaced
   */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static String enter(@Advice.This ProcessBuilder builder) {
    String value = System.getProperty("mondoo.config.base64");
    if (value == null || value.isEmpty()) {
      return null;
    }
    String policy = System.getProperty("mondoo.wif.agent.inject-env");
    if (policy != null && !policy.equals("all")) {
      if (policy.equals("none")) {
        return null;
      }
      List<String> command = builder.command();
      if (command.isEmpty() || command.get(0) == null) {
        return null;
      }
      String exe = command.get(0);
      String base = exe.substring(Math.max(exe.lastIndexOf('/'), exe.lastIndexOf('\\')) + 1);
      if (base.length() > 4 && base.regionMatches(true, base.length() - 4, ".exe", 0, 4)) {
        base = base.substring(0, base.length() - 4);
      }
      boolean listed = false;
      for (String name : policy.split(",")) {
        if (name.trim().equals(base)) {
          listed = true;
          break;
        }
      }
      if (!listed) {
        return null;
      }
    }
    Map<String, String> env = builder.environment();
    String present = env.get("MONDOO_CONFIG_BASE64");
    if (value.equals(present)) {
      return null;
    }
    if (present != null && !present.equals(System.getenv("MONDOO_CONFIG_BASE64"))) {
      return null;
    }
    env.put("MONDOO_CONFIG_BASE64", value);
    return present == null ? "" : present;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.This ProcessBuilder builder, @Advice.Enter String previous) {
    if (previous == null) {
      return;
    }
    Map<String, String> env = builder.environment();
    if (previous.isEmpty()) {
      env.remove("MONDOO_CONFIG_BASE64");
    } else {
      env.put("MONDOO_CONFIG_BASE64", previous);
    }
  }
}
