package io.github.mondoowif.foundation;

import io.github.mondoowif.internal.http.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test doubles that record instead of acting: a sleeper that never sleeps, a log handler. */
final class Recording {
  private Recording() {}

  /** Records each requested wait and returns at once. */
  static final class RecordingSleeper implements Sleeper {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
    }

    Duration total() {
      return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
  }
}
