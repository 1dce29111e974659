package io.farget.bench.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Waits until the JIT compilers are nearly idle. A warm-up makes the hot paths hot, but on 2 cores
 * the compilers fall behind: after 20,000 warm-up pods both JVMs still had about a core-second of
 * queued C2 work per second, which then ran during the measured pods and took 30 % of the machine
 * there (perf, 25 s of a 5,000-agent run). Waiting for the queue to drain measures the steady
 * state a long-running scheduler is in, not the compile backlog.
 */
final class JitSettle {
    /** The window over which compiling must stay under {@link #QUIET_SHARE}. */
    static final Duration WINDOW = Duration.ofSeconds(2);
    /** Quiet: compilers busy less than this share of the window (all compiler threads summed). */
    static final double QUIET_SHARE = 0.05;
    private static final Duration POLL = Duration.ofMillis(250);

    private JitSettle() {}

    /**
     * Polls {@code compileMillis} (the compilers' accumulated time) until it grew by less than
     * {@link #QUIET_SHARE} of {@link #WINDOW} over the last window, or {@code max} passed.
     * Returns how long it waited.
     */
    static Duration await(LongSupplier compileMillis, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long windowPolls = WINDOW.toMillis() / POLL.toMillis();
        ArrayDeque<Long> history = new ArrayDeque<>();
        while (System.nanoTime() - start < max.toNanos()) {
            history.addLast(compileMillis.getAsLong());
            if (history.size() > windowPolls) {
                history.removeFirst();
                if (quiet(history.getFirst(), history.getLast())) {
                    break;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static boolean quiet(long compileMillisBefore, long compileMillisNow) {
        return compileMillisNow - compileMillisBefore < QUIET_SHARE * WINDOW.toMillis();
    }
}
