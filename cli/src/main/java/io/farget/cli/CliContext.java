package io.farget.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command may touch of the outside world: its output streams, its environment and the
 * clock. Passing these in, rather than reading {@code System.*}, lets tests run commands in-process.
 */
public record CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {

    public static CliContext system() {
        return new CliContext(System.out, System.err, System.getenv(), Clock.systemUTC());
    }
}
