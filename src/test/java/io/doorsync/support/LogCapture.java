package io.doorsync.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Captures every log record (with its MDC) while open: for tests about what doorsync logs, and what it must not. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            ext.copyMdc(); // the MDC of the logging thread, kept with the record
            records.add(ext);
        }
    }

    /** Records of doorsync's own loggers. */
    public List<ExtLogRecord> doorsync() {
        return records.stream().filter(r -> r.getLoggerName().startsWith("io.doorsync")).toList();
    }

    /** Every captured line as text, with the exception if any. */
    public List<String> lines() {
        return records.stream().map(r -> r.getFormattedMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
