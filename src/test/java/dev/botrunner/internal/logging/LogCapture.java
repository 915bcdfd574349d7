package dev.botrunner.internal.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every log record of the process (message, parameters and stack trace as text). */
public final class LogCapture extends Handler implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Logger root = Logger.getLogger("");

  /** Starts capturing. */
  public LogCapture() {
    root.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    StringBuilder text = new StringBuilder(formatter.formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      text.append('\n').append(trace);
    }
    lines.add(record.getLevel() + " " + record.getLoggerName() + " " + text);
  }

  /**
   * @return every captured line so far
   */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * @param fragment text to look for
   * @return whether some line contains it
   */
  public boolean contains(String fragment) {
    return lines.stream().anyMatch(line -> line.contains(fragment));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
