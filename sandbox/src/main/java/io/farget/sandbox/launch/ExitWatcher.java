package io.farget.sandbox.launch;

import io.farget.sandbox.linux.ProcessExits;
import io.farget.sandbox.runc.PodLayout;
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
 * Waits for shims to report their containers' exits: a shim writes its container's {@code exit-code}
 * file and ends, and when {@link ProcessExits} says it ended this class reads the file. Works the
 * same for a container this process launched and for one adopted from an earlier agent, since the
 * shim, not the agent, is the one that waits. A shim that vanished without writing the file (killed
 * by someone) is reported as such. Every watched container is also looked at on a slow sweep (every
 * {@code pollInterval} where the kernel has no pidfds), in case its shim could not be watched.
 *
 * <p>Callbacks run on the watcher's thread and must be quick (hand real work to another executor).
 */
public final class ExitWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);

    /** What happened to a watched container. */
    public interface Watcher {
        void exited(int exitCode);

        /** The shim is gone and left no exit code: the container's end is known, its code is not. */
        void vanished();
    }

    private record Watched(PodLayout.ContainerBundle bundle, long shimPid, Watcher watcher) {}

    private final Map<PodLayout.ContainerBundle, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private final Optional<ProcessExits> exits;

    public ExitWatcher(Optional<ProcessExits> exits, Duration pollInterval) {
        this.exits = exits;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shim-exit-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollAll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void watch(PodLayout.ContainerBundle bundle, long shimPid, Watcher watcher) {
        Watched w = new Watched(bundle, shimPid, watcher);
        watched.put(bundle, w);
        exits.ifPresent(e -> e.watch((int) shimPid, () -> poller.execute(() -> pollIfWatched(w))));
    }

    /** After its shim ended: {@code w} may have been forgotten, or replaced by a restart of the same container. */
    private void pollIfWatched(Watched w) {
        if (watched.get(w.bundle()) == w) {
            pollGuarded(w);
        }
    }

    public void forget(PodLayout.ContainerBundle bundle) {
        watched.remove(bundle);
    }

    public int watchedCount() {
        return watched.size();
    }

    private void pollAll() {
        watched.values().forEach(this::pollGuarded);
    }

    /** One container's failure must not stop the others from being looked at. */
    private void pollGuarded(Watched w) {
        try {
            poll(w);
        } catch (RuntimeException e) {
            log.warn("exit watcher: handling {} failed", w.bundle().dir(), e);
        }
    }

    private void poll(Watched w) {
        Optional<Integer> code = ExitFiles.read(w.bundle().exitCodeFile());
        if (code.isPresent()) {
            if (watched.remove(w.bundle(), w)) {
                w.watcher().exited(code.get());
            }
            return;
        }
        if (!ExitFiles.alive(w.shimPid())) {
            // It may have written the file between our two looks: the file wins.
            Optional<Integer> late = ExitFiles.read(w.bundle().exitCodeFile());
            if (watched.remove(w.bundle(), w)) {
                if (late.isPresent()) {
                    w.watcher().exited(late.get());
                } else {
                    w.watcher().vanished();
                }
            }
        }
    }

    /** Stops watching; shims and their containers keep running (a restarted agent adopts them). */
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
