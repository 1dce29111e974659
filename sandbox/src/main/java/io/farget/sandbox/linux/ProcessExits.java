package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when processes end without looking at them over and over: one thread sleeps in poll(2) on
 * a pidfd per watched process (Linux 5.3+), which the kernel makes readable when the process exits,
 * child or not. An agent with a thousand idle containers then spends no CPU on them, where checking
 * each one 40 times a second took a tenth of a core per 50 (measured before this class).
 *
 * <p>Each callback runs once, on this class's thread, and must be quick. Nothing is reaped here: a
 * child stays a zombie until its parent collects it ({@link Reaper}), so its status is not lost.
 */
public final class ProcessExits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessExits.class);
    /** pidfd_open(2): the same number on x86_64 and aarch64 (the common syscall table since Linux 5.3). */
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;
    private static final int EINTR = 4;
    private static final short POLLIN = 1;
    /** struct pollfd {int fd; short events; short revents;}: the same layout on every 64-bit Linux. */
    private static final int POLLFD_BYTES = 8;

    private record Watch(int pid, int pidfd, Runnable onExit) {}

    private final LibC libc;
    /** Written to wake the thread: a new watch, or close. Slot 0 of every poll. */
    private final int wakeFd;
    private final Queue<Watch> added = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private ProcessExits(LibC libc, int wakeFd) {
        this.libc = libc;
        this.wakeFd = wakeFd;
        this.thread = new Thread(this::loop, "process-exits");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A watcher, or empty when this kernel has no pidfds (before 5.3) or refuses them: callers then
     * keep looking at their processes themselves.
     */
    public static Optional<ProcessExits> open(LibC libc) {
        try {
            int probe = pidfdOpen(libc, (int) ProcessHandle.current().pid());
            libc.close(probe);
            return Optional.of(new ProcessExits(libc, libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)));
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            log.info("pidfds unavailable ({}): process exits will be polled", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Runs {@code onExit} on this class's thread once {@code pid} has ended (at once if it already
     * has). Returns false, and will never run it, when the process cannot be watched (out of
     * descriptors, or closed): the caller must look at it some other way.
     */
    public boolean watch(int pid, Runnable onExit) {
        if (closed) {
            return false;
        }
        int pidfd;
        try {
            pidfd = pidfdOpen(libc, pid);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.ESRCH) {
                log.debug("cannot watch pid {}: {}", pid, e.getMessage());
                return false;
            }
            pidfd = -1; // already gone: the next turn of the loop runs onExit
        }
        added.add(new Watch(pid, pidfd, onExit));
        wake();
        return true;
    }

    private void loop() {
        List<Watch> watching = new ArrayList<>();
        Memory fds = null;
        while (!closed) {
            boolean changed = takeAdded(watching);
            if (changed || fds == null) {
                fds = pollSet(watching);
            }
            int ready;
            try {
                ready = libc.poll(fds, watching.size() + 1, -1);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                log.error("poll failed; process exits are no longer watched", e);
                return;
            }
            if (ready > 0) {
                if (fds.getShort(6) != 0) {
                    drainWake();
                }
                if (ended(fds, watching)) {
                    fds = null;
                }
            }
        }
        watching.forEach(w -> closeQuietly(w.pidfd()));
    }

    /** Moves new watches into the set; those whose process was already gone end at once. */
    private boolean takeAdded(List<Watch> watching) {
        boolean changed = false;
        for (Watch w; (w = added.poll()) != null; changed = true) {
            if (w.pidfd() < 0) {
                fire(w);
            } else {
                watching.add(w);
            }
        }
        return changed;
    }

    /** Slot 0 is the wake-up descriptor; slot i + 1 is {@code watching.get(i)}. */
    private Memory pollSet(List<Watch> watching) {
        Memory fds = new Memory((long) POLLFD_BYTES * (watching.size() + 1));
        fds.clear();
        setSlot(fds, 0, wakeFd);
        for (int i = 0; i < watching.size(); i++) {
            setSlot(fds, i + 1, watching.get(i).pidfd());
        }
        return fds;
    }

    private static void setSlot(Memory fds, int slot, int fd) {
        fds.setInt((long) slot * POLLFD_BYTES, fd);
        fds.setShort((long) slot * POLLFD_BYTES + 4, POLLIN);
    }

    /** Fires the watches whose pidfd became readable; returns whether any did (the set must be rebuilt). */
    private boolean ended(Memory fds, List<Watch> watching) {
        boolean any = false;
        for (int i = watching.size() - 1; i >= 0; i--) {
            if (fds.getShort((long) (i + 1) * POLLFD_BYTES + 6) != 0) {
                Watch w = watching.remove(i);
                closeQuietly(w.pidfd());
                fire(w);
                any = true;
            }
        }
        return any;
    }

    private void fire(Watch w) {
        try {
            w.onExit().run();
        } catch (RuntimeException e) {
            log.warn("handling the exit of pid {} failed", w.pid(), e);
        }
    }

    private void wake() {
        try {
            libc.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
        } catch (LastErrorException e) {
            log.debug("wake-up write failed (counter full?): {}", e.getMessage()); // the thread is awake anyway
        }
    }

    private void drainWake() {
        try {
            libc.read(wakeFd, new byte[8], 8);
        } catch (LastErrorException e) {
            // EAGAIN: nothing was written since the last drain
        }
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            log.debug("close({}) failed: {}", fd, e.getMessage());
        }
    }

    private static int pidfdOpen(LibC libc, int pid) {
        return (int) libc.syscall(SYS_PIDFD_OPEN, (long) pid, 0L);
    }

    /** Stops watching (pending callbacks never run) and releases every descriptor. */
    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Watch w; (w = added.poll()) != null; ) {
            if (w.pidfd() >= 0) {
                closeQuietly(w.pidfd());
            }
        }
        closeQuietly(wakeFd);
    }
}
