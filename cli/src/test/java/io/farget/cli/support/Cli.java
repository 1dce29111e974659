package io.farget.cli.support;

import io.farget.cli.FargetCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process, as a shell would, and captures what it printed. */
public final class Cli {
    private Cli() {}

    /** What one command did: its exit status and everything it wrote. */
    public record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        public long stderrLines() {
            return stderr.lines().count();
        }
    }

    public static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = FargetCli.execute(o, e, env, args);
        }
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs against the given scheduler address(es) through $FARGET_SERVER. */
    public static Result against(String servers, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("FARGET_SERVER", servers);
        return run(env, args);
    }
}
