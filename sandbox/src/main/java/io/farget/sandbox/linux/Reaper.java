package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the exit status of containers' init processes. Once this JVM is a child subreaper,
 * {@code runc run -d} leaves each container's init as our child when runc exits; someone must
 * waitpid it or it stays a zombie (and {@code runc delete} stalls on it).
 *
 * <p>Only the pids handed to {@link #watch} are waited for, each by its own pid: waitpid(-1) would
 * steal the exit statuses of the JDK's own {@link Process} children. One thread polls them all with
 * WNOHANG; the callbacks run on that thread and must be quick (hand real work to another executor).
 */
public final class Reaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);

    /** What happened to a watched pid. */
    public interface Watcher {
        /** The process ended and was reaped; the exit code is decoded as a shell would. */
        void exited(int exitCode);

        /** The process is gone but was not our child, so its exit status is lost. */
        void vanished();
    }

    private final LibC libc;
    private final Map<Integer, Watcher> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final Optional<ProcessExits> exits;

    /** {@code pollInterval}: how often every watched pid is looked at; exits signalled by {@code exits} are collected at once. */
    public Reaper(LibC libc, Optional<ProcessExits> exits, Duration pollInterval) {
        this.libc = libc;
        this.exits = exits;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runc-reaper");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollAll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes orphaned descendants of this process (containers' inits) re-parent to it instead of to
     * pid 1. Must happen before the first {@code runc run -d}.
     */
    public static void becomeSubreaper(LibC libc) {
        libc.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }

    public void watch(int pid, Watcher watcher) {
        watched.put(pid, watcher);
        exits.ifPresent(e -> e.watch(pid, () -> poller.execute(() -> collect(pid))));
    }

    /** Collects {@code pid} if it is still watched (it may have been forgotten, or collected by a sweep). */
    private void collect(int pid) {
        Watcher watcher = watched.get(pid);
        if (watcher != null) {
            pollGuarded(pid, watcher);
        }
    }

    public void forget(int pid) {
        watched.remove(pid);
    }

    public int watchedCount() {
        return watched.size();
    }

    private void pollAll() {
        watched.forEach(this::pollGuarded);
    }

    /** One pid's failure must not stop the others from being collected. */
    private void pollGuarded(int pid, Watcher watcher) {
        try {
            poll(pid, watcher);
        } catch (RuntimeException e) {
            log.warn("reaper: handling pid {} failed", pid, e);
        }
    }

    private void poll(int pid, Watcher watcher) {
        int[] status = new int[1];
        try {
            int reaped = libc.waitpid(pid, status, LibC.WNOHANG);
            if (reaped == pid && WaitStatus.ended(status[0]) && watched.remove(pid, watcher)) {
                watcher.exited(WaitStatus.exitCode(status[0]));
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ECHILD && !alive(pid) && watched.remove(pid, watcher)) {
                watcher.vanished(); // not our child (an earlier agent started it): only its absence is known
            }
        }
    }

    private boolean alive(int pid) {
        try {
            libc.kill(pid, 0);
            return true;
        } catch (LastErrorException e) {
            return e.getErrorCode() == LibC.EPERM;
        }
    }

    /** Stops polling; watched processes keep running (a restarted agent adopts them). */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
