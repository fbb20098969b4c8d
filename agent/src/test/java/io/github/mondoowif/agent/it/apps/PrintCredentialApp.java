package io.github.mondoowif.agent.it.apps;

/**
 * Prints what {@code main()} finds: the property's fingerprint and mrn, and how long the JVM took to get here.
 * With an argument (milliseconds) it then waits up to that long for the property to appear or change.
 */
public final class PrintCredentialApp {
  private PrintCredentialApp() {}

  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    String atMain = System.getProperty(AppSupport.PROPERTY);
    System.out.println("main=ran");
    System.out.println("mainAt=" + mainAt);
    System.out.println("atMain=" + AppSupport.fp(atMain));
    System.out.println("mrn=" + AppSupport.mrn(atMain));
    System.out.println("active=" + System.getProperty("mondoo.wif.agent.active"));
    System.out.flush();
    if (args.length > 0) {
      String later = AppSupport.awaitChange(atMain, Long.parseLong(args[0]));
      System.out.println("later=" + AppSupport.fp(later));
      System.out.println("laterAt=" + System.currentTimeMillis());
    }
    System.out.flush();
  }
}
