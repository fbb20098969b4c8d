package io.github.mondoowif.agent.it.apps;

/**
 * Waits (up to the given milliseconds) for the agent to replace the credential, then starts a child and
 * reports what it got: children must get the credential current at spawn time. With a second argument (the
 * agent's output file) it also reports the file's mode, inode and content fingerprint before and after.
 */
public final class RefreshApp {
  private RefreshApp() {}

  public static void main(String[] args) throws Exception {
    String first = System.getProperty(AppSupport.PROPERTY);
    System.out.println("first=" + AppSupport.fp(first));
    if (args.length > 1) {
      AppSupport.describeFile(java.nio.file.Paths.get(args[1]), "1");
    }
    String second = AppSupport.awaitChange(first, Long.parseLong(args[0]));
    System.out.println("secondAt=" + System.currentTimeMillis());
    System.out.println("second=" + AppSupport.fp(second));
    String child = AppSupport.output(
        new ProcessBuilder("sh", "-c", "printf '%s' \"$MONDOO_CONFIG_BASE64\"").start());
    System.out.println("childAfterRefresh=" + AppSupport.fp(child));
    if (args.length > 1) {
      AppSupport.describeFile(java.nio.file.Paths.get(args[1]), "2");
    }
    System.out.flush();
  }
}
