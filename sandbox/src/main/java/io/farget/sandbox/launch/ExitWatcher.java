package io.farget.sandbox.launch;

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
 * Waits for shims to report their containers' exits: one thread checks every watched container's
 * {@code exit-code} file each poll. Works the same for a container this process launched and for
 * one adopted from an earlier agent, since the shim, not the agent, is the one that waits. A shim
 * that vanished without writing the file (killed by someone) is reported as such.
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

    public ExitWatcher(Duration pollInterval) {
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shim-exit-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollAll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void watch(PodLayout.ContainerBundle bundle, long shimPid, Watcher watcher) {
        watched.put(bundle, new Watched(bundle, shimPid, watcher));
    }

    public void forget(PodLayout.ContainerBundle bundle) {
        watched.remove(bundle);
    }

    public int watchedCount() {
        return watched.size();
    }

    private void pollAll() {
        for (Watched w : watched.values()) {
            try {
                poll(w);
            } catch (RuntimeException e) {
                log.warn("exit watcher: handling {} failed", w.bundle().dir(), e);
            }
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
