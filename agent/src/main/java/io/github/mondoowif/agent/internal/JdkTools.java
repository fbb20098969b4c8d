package io.github.mondoowif.agent.internal;

/**
 * Recognises the JDK's own tools ({@code keytool}, {@code jps}, {@code jcmd}, {@code jstack}, {@code jar},
 * {@code javac}, {@code jshell}, …). An agent named in {@code JAVA_TOOL_OPTIONS} starts inside each of them
 * too, where it has nothing to do and would only slow them down. Internal.
 *
 * <p>Since JDK 9 the launchers start every tool from a JDK module, and {@code sun.java.command} reads
 * {@code <module>/<main class> <args>} (e.g. {@code jdk.jcmd/sun.tools.jps.Jps}); application modules cannot
 * be named {@code java.*} or {@code jdk.*}. A tool's main class started from the class path is recognised
 * by its package.
 */
final class JdkTools {
  private static final String[] TOOL_PACKAGES = {
    "sun.tools.", // jps, jcmd, jstack, jinfo, jmap, jstat, jstatd, jar, serialver, jconsole
    "sun.security.tools.", // keytool, jarsigner
    "sun.security.krb5.internal.tools.", // kinit, klist, ktab
    "com.sun.tools.", // javac, javap, jdeps, jdeprscan, jdb, jrunscript
    "jdk.internal.jshell.", // jshell
    "jdk.javadoc.internal.", // javadoc
    "jdk.jfr.internal.tool.", // jfr
    "jdk.tools.", // jlink, jimage, jmod
    "jdk.jpackage.", // jpackage
    "sun.jvm.hotspot.", // jhsdb
    "sun.rmi.registry.", // rmiregistry
    "sun.net.httpserver.simpleserver.", // jwebserver
  };

  /** Runs the user's own program from source ({@code java Script.java}): an application, not a tool. */
  private static final String SOURCE_LAUNCHER = "com.sun.tools.javac.launcher.";

  private JdkTools() {}

  /**
   * Whether {@code sunJavaCommand} (the {@code sun.java.command} system property) names a JDK tool. Null or
   * empty (an embedded JVM) is not a tool.
   */
  static boolean isJdkTool(String sunJavaCommand) {
    if (sunJavaCommand == null) {
      return false;
    }
    String command = sunJavaCommand.trim();
    int space = command.indexOf(' ');
    String main = space < 0 ? command : command.substring(0, space);
    if (main.isEmpty()) {
      return false;
    }
    int slash = main.indexOf('/');
    if (slash > 0 && !main.endsWith(".jar")) {
      String module = main.substring(0, slash);
      main = main.substring(slash + 1);
      if (main.startsWith(SOURCE_LAUNCHER)) {
        return false;
      }
      if (module.startsWith("jdk.") || module.startsWith("java.")) {
        return true;
      }
    }
    if (main.startsWith(SOURCE_LAUNCHER)) {
      return false;
    }
    for (String p : TOOL_PACKAGES) {
      if (main.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** A short name for the tool, for the debug line: the main class's simple name. */
  static String describe(String sunJavaCommand) {
    String command = sunJavaCommand.trim();
    int space = command.indexOf(' ');
    return space < 0 ? command : command.substring(0, space);
  }
}
