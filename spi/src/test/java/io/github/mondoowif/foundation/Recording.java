package io.github.mondoowif.foundation;

import io.github.mondoowif.internal.http.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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

  /**
   * Captures every record of the library's logger ({@code io.github.mondoowif}; System.Logger's default
   * backend is java.util.logging) at every level. Close it to detach and restore the level.
   */
  static final class CapturedLog extends Handler implements AutoCloseable {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.github.mondoowif");
    private final Level previous;

    CapturedLog() {
      previous = logger.getLevel();
      setLevel(Level.ALL);
      logger.setLevel(Level.ALL);
      logger.addHandler(this);
    }

    /** Every message, with its parameters and any attached throwable's messages, as one text each. */
    List<String> texts() {
      return records.stream().map(CapturedLog::render).collect(java.util.stream.Collectors.toList());
    }

    private static String render(LogRecord r) {
      StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          sb.append(' ').append(p);
        }
      }
      for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
        sb.append(' ').append(t);
      }
      return sb.toString();
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setLevel(previous);
    }
  }
}
