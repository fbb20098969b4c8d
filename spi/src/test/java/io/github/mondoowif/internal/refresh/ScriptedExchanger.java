package io.github.mondoowif.internal.refresh;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooWifException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link Exchanger} whose behaviour the test switches, counting calls. */
final class ScriptedExchanger implements Exchanger {
  interface Step {
    MondooCredential run() throws MondooWifException;
  }

  final AtomicInteger calls = new AtomicInteger();
  private volatile Step step;

  ScriptedExchanger(Step step) {
    this.step = step;
  }

  /** Each call issues a new credential at the clock's time with {@code lifetime}. */
  static Step issuing(FakeClock clock, Duration lifetime) {
    return () -> TestCredentials.issued(clock.instant(), lifetime);
  }

  static Step failing(MondooWifException error) {
    return () -> {
      throw error;
    };
  }

  void then(Step next) {
    this.step = next;
  }

  int calls() {
    return calls.get();
  }

  @Override
  public MondooCredential exchange() throws MondooWifException {
    calls.incrementAndGet();
    return step.run();
  }
}
