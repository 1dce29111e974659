package io.farget.sandbox.launch;

import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.linux.SessionSpawner;
import io.farget.sandbox.runc.PodLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a container is launched so that its exit code outlives the agent: each container gets a shim,
 * a detached process in its own session whose only job is to run {@code runc run} in the foreground
 * and, when runc returns, write runc's exit status (the container's exit code, 128 + signal when
 * killed) atomically to {@code exit-code} in the container's bundle.
 *
 * <p>With {@code runc run -d} the container's init is reparented to the agent (a child subreaper)
 * and only the agent can collect its status: an exit while the agent is down is lost. Under the
 * shim the container's init is runc's child, runc is the shim's, and the shim is nobody's concern
 * but init's: a killed agent leaves the shim waiting and the file appears whenever the container
 * ends. The shim is a two-line POSIX shell script running outside the container (the container's
 * pid 1 is still the user's command); it holds no pipe to the agent, so a dead agent cannot stall it.
 *
 * <p>The shell is started straight into its new session by {@link SessionSpawner} (one exec, where
 * {@code ProcessBuilder} and {@code setsid} took three), and while this agent lives it is this
 * agent's child: the {@link Reaper} collects it. Starting is split in two ({@link #spawn}, then
 * {@link #awaitStarted}) so that the containers of one pod can start side by side.
 */
public final class ShimLauncher {
    private static final Logger log = LoggerFactory.getLogger(ShimLauncher.class);
    /** $1: the exit-code file; the rest: the runc command line. The temp file + rename makes the write atomic. */
    static final String SCRIPT = "f=$1; shift; \"$@\"; c=$?; echo \"$c\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often, between file events, the shim is checked for having died without a word. The pid
     * file itself is waited for with inotify: polling it every fraction of a millisecond takes CPU
     * slices from the very runc it waits for on a busy host.
     */
    private static final long LIVENESS_CHECK_MILLIS = 20;
    private static final int SIGKILL = 9;

    /** A container that started: its init's host pid and the pid of the shim waiting for it. */
    public record Launched(int containerPid, long shimPid) {}

    /** A shim that runs, whose container may not run yet; {@code events} watches its bundle's folder. */
    public record Pending(PodLayout.ContainerBundle bundle, long shimPid, long deadlineNanos, WatchService events) {}

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

    private final String shellBinary;
    private final LibC libc;
    private final Reaper reaper;

    public ShimLauncher(LibC libc, Reaper reaper) {
        this("/bin/sh", libc, reaper);
    }

    ShimLauncher(String shellBinary, LibC libc, Reaper reaper) {
        this.shellBinary = shellBinary;
        this.libc = libc;
        this.reaper = reaper;
    }

    /**
     * Starts the shim running {@code runcRun} (see {@code RuncCommand.runForegroundCommand}) with stdout and
     * stderr appended to {@code output}; returns at once. {@link #awaitStarted} tells whether the container started.
     */
    public Pending spawn(PodLayout.ContainerBundle bundle, List<String> runcRun, Path output) throws IOException {
        Files.deleteIfExists(bundle.exitCodeFile()); // a restarted container reuses its bundle
        Files.deleteIfExists(bundle.pidFile());
        List<String> command = new ArrayList<>(List.of(shellBinary, "-c", SCRIPT, "farget-shim", bundle.exitCodeFile().toString()));
        command.addAll(runcRun);
        WatchService events = bundle.dir().getFileSystem().newWatchService();
        try {
            // Watched before the shim runs: the pid file cannot appear unseen.
            bundle.dir().register(events, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            int shimPid = SessionSpawner.spawn(command, output);
            collect(bundle, shimPid);
            Files.writeString(bundle.shimPidFile(), Integer.toString(shimPid), StandardCharsets.US_ASCII);
            return new Pending(bundle, shimPid, System.nanoTime() + START_TIMEOUT.toNanos(), events);
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
    }

    /**
     * Reaps the shim when it ends, should it be this process's child (spawned here, or by an
     * earlier runtime in this same process); its news is the exit-code file, not its own status.
     */
    public void collect(PodLayout.ContainerBundle bundle, long shimPid) {
        reaper.watch((int) shimPid, new Reaper.Watcher() {
            @Override
            public void exited(int exitCode) {
                log.debug("shim {} of {} ended with {}", shimPid, bundle.dir(), exitCode);
            }

            @Override
            public void vanished() {
                log.debug("shim {} of {} ended (collected by another process)", shimPid, bundle.dir());
            }
        });
    }

    /**
     * Returns once the shim's container runs (runc wrote its pid file, which it does after the
     * container's process was started).
     *
     * @throws NotStarted when runc ended without a pid file: it could not start the container
     */
    public Launched awaitStarted(Pending pending) throws IOException, NotStarted {
        try (WatchService events = pending.events()) {
            return awaitStarted(pending, events);
        }
    }

    private Launched awaitStarted(Pending pending, WatchService events) throws IOException, NotStarted {
        PodLayout.ContainerBundle bundle = pending.bundle();
        while (true) {
            if (Files.exists(bundle.pidFile())) {
                return new Launched(readPid(bundle.pidFile()), pending.shimPid());
            }
            if (Files.exists(bundle.exitCodeFile()) || !ExitFiles.alive(pending.shimPid())) {
                if (Files.exists(bundle.pidFile())) {
                    continue; // it started and ended at once: the exit is the watcher's news
                }
                int code = ExitFiles.read(bundle.exitCodeFile()).orElse(-1);
                throw new NotStarted(code, "runc exited with code " + code + " before the container started");
            }
            if (System.nanoTime() > pending.deadlineNanos()) {
                kill(pending.shimPid());
                throw new IOException("the container did not start within " + START_TIMEOUT.toSeconds() + " s");
            }
            try {
                WatchKey key = events.poll(LIVENESS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents(); // which file changed does not matter: the loop looks at both
                    key.reset();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting a container", e);
            }
        }
    }

    private void kill(long pid) {
        try {
            libc.kill((int) pid, SIGKILL);
        } catch (RuntimeException e) {
            log.debug("cannot kill shim {}: {}", pid, e.toString());
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
