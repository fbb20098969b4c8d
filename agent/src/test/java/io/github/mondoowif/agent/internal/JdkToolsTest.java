package io.github.mondoowif.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdkToolsTest {
  /** What {@code sun.java.command} reads in each tool on JDK 17 and 25 (recorded with a probe agent). */
  @ParameterizedTest
  @ValueSource(strings = {
    "java.base/sun.security.tools.keytool.Main -list",
    "jdk.jcmd/sun.tools.jps.Jps -q",
    "jdk.jcmd/sun.tools.jcmd.JCmd 1234 VM.flags",
    "jdk.jcmd/sun.tools.jstack.JStack 1234",
    "jdk.jartool/sun.tools.jar.Main --version",
    "jdk.compiler/com.sun.tools.javac.Main -version",
    "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider",
    "jdk.javadoc/jdk.javadoc.internal.tool.Main",
    "jdk.jlink/jdk.tools.jlink.internal.Main",
    "jdk.jfr/jdk.jfr.internal.tool.Main print x.jfr",
    "jdk.httpserver/sun.net.httpserver.simpleserver.JWebServer",
    "sun.tools.jps.Jps",
    "sun.security.tools.keytool.Main -help",
  })
  void isJdkTool_jdkTools_true(String command) {
    assertThat(JdkTools.isJdkTool(command)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "com.example.Main --port 8080",
    "/opt/app/app.jar --spring.profiles.active=prod",
    "app.jar",
    "lib/app.jar",
    "com.example.app/com.example.Main",
    "org.apache.maven.surefire.booter.ForkedBooter",
    "jdk.compiler/com.sun.tools.javac.launcher.Main Script.java",
    "jdk.compiler/com.sun.tools.javac.launcher.SourceLauncher Script.java",
    "",
  })
  void isJdkTool_applications_false(String command) {
    assertThat(JdkTools.isJdkTool(command)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void isJdkTool_noCommand_false() {
    assertThat(JdkTools.isJdkTool(null)).isFalse();
  }
}
