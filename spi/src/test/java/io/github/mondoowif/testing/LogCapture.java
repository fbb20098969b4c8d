package io.github.mondoowif.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records everything the library logs, at every level, until closed. System.Logger's default backend is
 * java.util.logging, so a handler on the logger {@code io.github.mondoowif} sees every line.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("io.github.mondoowif");
  private final Level previous;

  public LogCapture() {
    previous = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  public List<LogRecord> records() {
    return records;
  }

  /** The messages logged at exactly {@code level}. */
  public List<String> messages(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
        .collect(Collectors.toList());
  }

  /** Every message, with its parameters and any attached throwable's messages, as one text each. */
  public List<String> texts() {
    return records.stream().map(LogCapture::render).collect(Collectors.toList());
  }

  /** Every message, one per line. */
  public String all() {
    return records.stream().map(LogRecord::getMessage).collect(Collectors.joining("\n"));
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
