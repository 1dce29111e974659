package io.farget.launcher;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs parts of a daemon until SIGTERM or Ctrl-C, then stops them in reverse order of start, each
 * once, logging instead of throwing so one failing part does not leave the others running.
 */
final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Deque<Part> parts = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String name;

    Daemon(String name) {
        this.name = name;
    }

    interface Stopper {
        void stop() throws Exception;
    }

    private record Part(String name, Stopper stopper) {}

    /** Registers what to undo at shutdown; parts stop last-in, first-out. */
    synchronized void onStop(String partName, Stopper stopper) {
        parts.push(new Part(partName, stopper));
    }

    /** Installs the shutdown hook; call once the first part is registered. */
    void stopOnSignal() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, name + "-shutdown"));
    }

    /** Blocks until {@link #stop()} has finished. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    synchronized void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.info("Stopping {}", name);
        while (!parts.isEmpty()) {
            Part part = parts.pop();
            try {
                part.stopper().stop();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.name(), e.toString());
            }
        }
        LOG.info("Stopped {}", name);
        stopped.countDown();
    }
}
