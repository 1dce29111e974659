package io.farget.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of the outside world: its output streams, its environment and the
 * clock. Passing these in, rather than reading {@code System.*}, lets tests run commands in-process.
 */
public record CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, InputStream in) {

    /** A context without input (stdin reads as empty). */
    public CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this(out, err, env, clock, InputStream.nullInputStream());
    }

    public static CliContext system() {
        return new CliContext(System.out, System.err, System.getenv(), Clock.systemUTC(), System.in);
    }
}
