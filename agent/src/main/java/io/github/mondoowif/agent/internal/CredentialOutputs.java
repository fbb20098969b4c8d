package io.github.mondoowif.agent.internal;

import io.github.mondoowif.CredentialListener;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hears the refresh engine and keeps every output current: the system property (and with it the child
 * environment, which reads the property at spawn time) and the file. Also the agent's memory of its state,
 * so that stderr gets one line per state change (ready, failing, recovered) and not one per attempt.
 * Internal.
 *
 * <p>While {@code premain} waits for the first credential it reports the startup outcome itself; a failure
 * that arrives in that window is left to it, so the user reads one line, not two.
 */
final class CredentialOutputs implements CredentialListener {
  private final AgentConsole console;
  private final PropertyOutput property;
  private final FileOutput file;
  private final Clock clock;
  private final long startNanos;
  private final CountDownLatch firstOutcome = new CountDownLatch(1);
  private final Object lock = new Object();

  private volatile MondooCredential current;
  private boolean failing;
  private int failures;
  private boolean fileFailing;
  private MondooWifException lastFailure;
  private boolean premainReports;

  /**
   * @param file the file output, or {@code null}
   * @param premainReports whether {@code premain} waits and reports the startup outcome itself
   */
  CredentialOutputs(AgentConsole console, PropertyOutput property, FileOutput file, Clock clock, long startNanos,
      boolean premainReports) {
    this.console = console;
    this.property = property;
    this.file = file;
    this.clock = clock;
    this.startNanos = startNanos;
    this.premainReports = premainReports;
  }

  /** The file's problem was already reported (at start): the first failed write needs no second line. */
  void fileProblemReported() {
    synchronized (lock) {
      fileFailing = true;
    }
  }

  /** The credential all outputs currently carry, or {@code null}. */
  MondooCredential current() {
    return current;
  }

  @Override
  public void onCredential(MondooCredential credential) {
    synchronized (lock) {
      MondooCredential previous = current;
      if (previous != null && previous.base64Config().equals(credential.base64Config())) {
        return;
      }
      property.publish(credential);
      current = credential;
      writeFile(credential);
      if (previous == null) {
        console.info("Mondoo credential ready in " + elapsedMillis() + " ms" + (failures > 0 ? " after " + failures
            + " failed attempt" + (failures == 1 ? "" : "s") : "") + ": " + describe(credential));
      } else if (failing) {
        console.info("Mondoo credential refreshed again after " + failures + " failed attempt"
            + (failures == 1 ? "" : "s") + ": " + describe(credential));
      } else {
        console.debug("Mondoo credential refreshed: " + describe(credential));
      }
      failing = false;
      failures = 0;
      lastFailure = null;
    }
    firstOutcome.countDown();
  }

  @Override
  public void onRefreshFailure(MondooWifException error, int consecutiveFailures, boolean stillValid) {
    synchronized (lock) {
      failures++;
      lastFailure = error;
      if (!failing) {
        failing = true;
        if (!premainReports) {
          console.info(failureLine(error, stillValid));
        }
      } else {
        console.debug("attempt " + failures + " failed too: " + error.getMessage());
      }
    }
    firstOutcome.countDown();
  }

  private String failureLine(MondooWifException error, boolean stillValid) {
    MondooCredential c = current;
    boolean valid = stillValid && c != null && clock.instant().isBefore(c.expiresAt());
    return (valid
            ? "refreshing the Mondoo credential failed; still serving sha256=" + c.fingerprint() + " until "
                + c.expiresAt() + ": "
            : "no Mondoo credential: ")
        + error.getMessage() + " (retrying in the background; mondoo.wif.debug=true shows each attempt)";
  }

  /** Waits until the first credential or the first failure, at most {@code timeout}. */
  boolean awaitFirstOutcome(Duration timeout) throws InterruptedException {
    return firstOutcome.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Called once by {@code premain} when its wait is over: prints the startup outcome unless the credential
   * arrived, and from then on leaves failure lines to this listener.
   *
   * @return the line printed, or {@code null} when a credential is there
   */
  String reportStartup(Duration waited, String suffix) {
    synchronized (lock) {
      premainReports = false;
      if (current != null) {
        return null;
      }
      String line;
      if (lastFailure != null) {
        line = "no Mondoo credential at startup: " + lastFailure.getMessage() + suffix;
      } else {
        line = "no Mondoo credential within " + waited.toMillis() + " ms (mondoo.wif.startup-timeout): the "
            + "identity source or Mondoo's STS has not answered yet; check that both are reachable from here"
            + suffix;
      }
      console.info(line);
      return line;
    }
  }

  private void writeFile(MondooCredential credential) {
    if (file == null) {
      return;
    }
    try {
      file.write(credential);
      if (fileFailing) {
        console.info("writing mondoo.wif.output-file " + file.target() + " works again");
      } else {
        console.debug("wrote " + file.target() + " (sha256=" + credential.fingerprint() + ")");
      }
      fileFailing = false;
    } catch (IOException | RuntimeException e) {
      if (!fileFailing) {
        console.info(e instanceof IOException ? file.describe((IOException) e)
            : "cannot write mondoo.wif.output-file " + file.target() + ": " + e.getClass().getName());
      }
      fileFailing = true;
    }
  }

  private long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  static String describe(MondooCredential c) {
    return c.mrn() + " from " + c.provider() + ", valid until " + c.expiresAt() + ", sha256=" + c.fingerprint();
  }
}
