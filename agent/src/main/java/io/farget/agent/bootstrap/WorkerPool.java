package io.farget.agent.bootstrap;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's worker pools. Pod work (starts, stops, removals, status refreshes, log reads) runs on
 * a small fixed number of threads with the rest queued: a burst of 50 starts used to grow an
 * unbounded pool to 40-odd threads, each with its stack and malloc arena, for the few cores that
 * can run them anyway. Tasks on it must never wait for another task of the same pool (with every
 * thread waiting, nothing would run what they wait for); work that blocks for as long as a client
 * likes (an exec's streams) gets its own pool, {@link #blockingIo}.
 */
public final class WorkerPool {
    /** Idle threads end after this long: a quiet agent keeps no workers at all. */
    static final Duration IDLE = Duration.ofSeconds(30);

    private WorkerPool() {}

    /** Enough threads to keep the host's cores busy with runc starts, which mostly wait for processes. */
    public static int defaultSize() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** {@code threads} at most, tasks beyond them queued in order (never refused while open). */
    public static ExecutorService bounded(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemonThreads(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Threads made on demand for tasks that block until someone else is done (an exec's output pumps). */
    public static ExecutorService blockingIo(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), daemonThreads(name));
    }

    /** Daemon threads named {@code name-0}, {@code name-1}, ... */
    static ThreadFactory daemonThreads(String name) {
        return new ThreadFactoryBuilder().setNameFormat(name + "-%d").setDaemon(true).build();
    }
}
