package io.farget.it.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (ip, runc, kill) to its end, bounded in time, and returns what it printed. */
final class Shell {
    private static final long TIMEOUT_SECONDS = 30;

    private Shell() {}

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command}; a non-zero exit throws with the command's own words. */
    static String run(String... command) {
        Result result = attempt(command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.output().trim());
        }
        return result.output();
    }

    /** Runs {@code command} and reports how it ended, for commands that may rightly fail (cleanup of what may not exist). */
    static Result attempt(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
