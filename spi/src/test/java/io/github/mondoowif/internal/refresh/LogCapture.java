package io.github.mondoowif.internal.refresh;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Records what the library logs (System.Logger goes to java.util.logging in tests). */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("io.github.mondoowif");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  List<String> at(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage)
        .collect(Collectors.toList());
  }

  String all() {
    return records.stream().map(LogRecord::getMessage).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
