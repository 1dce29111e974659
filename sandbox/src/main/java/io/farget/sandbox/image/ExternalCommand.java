package io.farget.sandbox.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs skopeo and umoci: output captured, a time limit, the last line kept for error messages. */
final class ExternalCommand {
    private static final Logger log = LoggerFactory.getLogger(ExternalCommand.class);

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The last non-blank line: where skopeo and umoci put the reason of a failure. */
        String lastLine() {
            return output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("exit code " + exitCode).strip();
        }
    }

    private ExternalCommand() {}

    static Result run(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            log.debug("{} -> {} {}", String.join(" ", command), process.exitValue(), output.strip());
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }
}
