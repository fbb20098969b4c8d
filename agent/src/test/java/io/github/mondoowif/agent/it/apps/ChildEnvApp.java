package io.github.mondoowif.agent.it.apps;

import java.util.List;

/**
 * Starts children every way the JDK offers and prints the fingerprint of the MONDOO_CONFIG_BASE64 each one
 * saw. Arguments: optional paths of executables to run as well (each prints its environment variable).
 */
public final class ChildEnvApp {
  private static final String PRINT = "printf '%s' \"$MONDOO_CONFIG_BASE64\"";

  private ChildEnvApp() {}

  public static void main(String[] args) throws Exception {
    String current = System.getProperty(AppSupport.PROPERTY);
    System.out.println("property=" + AppSupport.fp(current));

    ProcessBuilder pb = new ProcessBuilder("sh", "-c", PRINT);
    System.out.println("processBuilder=" + AppSupport.fp(AppSupport.output(pb.start())));
    // The builder is left as the application had it: no variable, or the one inherited from the parent.
    System.out.println("builderAfterStart=" + AppSupport.fp(pb.environment().get("MONDOO_CONFIG_BASE64")));

    System.out.println("runtimeExec=" + AppSupport.fp(AppSupport.output(
        Runtime.getRuntime().exec(new String[] {"sh", "-c", PRINT}))));
    System.out.println("runtimeExecWithEnv=" + AppSupport.fp(AppSupport.output(
        Runtime.getRuntime().exec(new String[] {"sh", "-c", PRINT}, new String[] {"FOO=bar"}))));

    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
        new ProcessBuilder("sh", "-c", PRINT),
        new ProcessBuilder("sh", "-c", "cat; printf '|'; " + PRINT)));
    String[] parts = AppSupport.output(pipeline.get(pipeline.size() - 1)).split("\\|", -1);
    System.out.println("pipelineFirst=" + AppSupport.fp(parts[0]));
    System.out.println("pipelineLast=" + AppSupport.fp(parts.length > 1 ? parts[1] : null));

    ProcessBuilder own = new ProcessBuilder("sh", "-c", PRINT);
    own.environment().put("MONDOO_CONFIG_BASE64", "set-by-the-application");
    String seen = AppSupport.output(own.start());
    System.out.println("explicit=" + ("set-by-the-application".equals(seen) ? "kept" : AppSupport.fp(seen)));

    for (String exe : args) {
      String name = exe.substring(exe.lastIndexOf('/') + 1);
      System.out.println("exe." + name + "=" + AppSupport.fp(AppSupport.output(new ProcessBuilder(exe).start())));
    }
    System.out.flush();
  }
}
