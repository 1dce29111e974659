package io.farget.sandbox.launch;

import io.farget.sandbox.runc.PodLayout;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a container is launched so that its exit code outlives the agent: each container gets a shim,
 * a detached process in its own session ({@code setsid}) whose only job is to run {@code runc run}
 * in the foreground and, when runc returns, write runc's exit status (the container's exit code,
 * 128 + signal when killed) atomically to {@code exit-code} in the container's bundle.
 *
 * <p>With {@code runc run -d} the container's init is reparented to the agent (a child subreaper)
 * and only the agent can collect its status: an exit while the agent is down is lost. Under the
 * shim the container's init is runc's child, runc is the shim's, and the shim is nobody's concern
 * but init's: a killed agent leaves the shim waiting and the file appears whenever the container
 * ends. The shim is a two-line POSIX shell script running outside the container (the container's
 * pid 1 is still the user's command); it holds no pipe to the agent, so a dead agent cannot stall it.
 */
public final class ShimLauncher {
    private static final Logger log = LoggerFactory.getLogger(ShimLauncher.class);
    /** $1: the exit-code file; the rest: the runc command line. The temp file + rename makes the write atomic. */
    static final String SCRIPT = "f=$1; shift; \"$@\"; c=$?; echo \"$c\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** A container that started: its init's host pid and the pid of the shim waiting for it. */
    public record Launched(int containerPid, long shimPid) {}

    /** {@code runc run} ended without starting the container (bad config, missing binary, ...). */
    public static final class NotStarted extends Exception {
        private final int runcExitCode;

        NotStarted(int runcExitCode, String message) {
            super(message);
            this.runcExitCode = runcExitCode;
        }

        public int runcExitCode() {
            return runcExitCode;
        }
    }

    private final String setsidBinary;
    private final String shellBinary;

    public ShimLauncher() {
        this("setsid", "/bin/sh");
    }

    ShimLauncher(String setsidBinary, String shellBinary) {
        this.setsidBinary = setsidBinary;
        this.shellBinary = shellBinary;
    }

    /**
     * Starts the shim running {@code runcRun} (see {@code RuncCommand.runForegroundCommand}) with stdout and
     * stderr appended to {@code output}; returns once the container runs (runc wrote its pid file).
     *
     * @throws NotStarted when runc ended without a pid file: it could not start the container
     */
    public Launched launch(PodLayout.ContainerBundle bundle, List<String> runcRun, Path output) throws IOException, NotStarted {
        Files.deleteIfExists(bundle.exitCodeFile()); // a restarted container reuses its bundle
        Files.deleteIfExists(bundle.pidFile());
        List<String> command = new ArrayList<>(List.of(setsidBinary, shellBinary, "-c", SCRIPT, "farget-shim",
                bundle.exitCodeFile().toString()));
        command.addAll(runcRun);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(output.toFile()));
        Process shim = pb.start();
        long shimPid = shim.pid();
        Files.writeString(bundle.shimPidFile(), Long.toString(shimPid), StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (Files.exists(bundle.pidFile())) {
                return new Launched(readPid(bundle.pidFile()), shimPid);
            }
            if (Files.exists(bundle.exitCodeFile()) || !shim.isAlive()) {
                if (Files.exists(bundle.pidFile())) {
                    continue; // it started and ended at once: the exit is the watcher's news
                }
                int code = ExitFiles.read(bundle.exitCodeFile()).orElse(-1);
                throw new NotStarted(code, "runc exited with code " + code + " before the container started");
            }
            if (System.nanoTime() > deadline) {
                shim.destroyForcibly();
                throw new IOException("the container did not start within " + START_TIMEOUT.toSeconds() + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting a container");
            }
        }
    }

    private static int readPid(Path pidFile) throws IOException {
        // runc writes the pid file through a temp file and a rename: once it exists it is complete.
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            log.warn("unreadable pid file {}: '{}'", pidFile, text);
            throw new IOException("unreadable pid file " + pidFile, e);
        }
    }
}
