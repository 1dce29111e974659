package io.farget.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farget.cli.FargetCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One CLI command run in-process against a cluster, with what it printed. */
record CliRun(int exitCode, String stdout, String stderr) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static CliRun of(String server, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FargetCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FARGET_SERVER", server), args);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    JsonNode json() {
        try {
            return JSON.readTree(stdout);
        } catch (Exception e) {
            throw new AssertionError("not JSON on stdout: " + stdout + " (stderr: " + stderr + ")", e);
        }
    }

    CliRun assertOk() {
        if (exitCode != 0) {
            throw new AssertionError("exit " + exitCode + ": " + stderr);
        }
        return this;
    }
}
