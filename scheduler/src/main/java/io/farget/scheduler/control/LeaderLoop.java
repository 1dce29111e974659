package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.scheduler.state.FencedOutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which the leader changes state: every pod and node change, every ZooKeeper
 * write and the plan applier run here one after another, so no two writers ever race. A write
 * refused by the epoch fence ends the leadership through {@code onFenced}.
 */
public final class LeaderLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderLoop.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ScheduledExecutorService executor;
    private final Runnable onFenced;
    private volatile Thread thread;
    /** Tasks of {@link #call} and {@link #run} not started yet: their callers learn it at once when the loop closes. */
    private final Set<LoopTask<?>> notStarted = ConcurrentHashMap.newKeySet();

    public LeaderLoop(long epoch, Runnable onFenced) {
        this.onFenced = onFenced;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "farget-leader-loop-" + epoch);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Runs {@code task} later on the loop; failures are logged. Dropped once the loop is closed. */
    public void execute(Runnable task) {
        try {
            executor.execute(() -> guarded(task));
        } catch (RejectedExecutionException closed) {
            log.debug("Leader loop closed; dropping a task");
        }
    }

    /** Runs {@code task} every {@code period} until the loop closes. */
    public void every(Duration period, Runnable task) {
        executor.scheduleWithFixedDelay(() -> guarded(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the loop and waits for its result; its exception is rethrown here. */
    public <T> T call(Supplier<T> task) {
        if (Thread.currentThread() == thread) {
            return task.get();
        }
        return answer(submit(task), CALL_TIMEOUT);
    }

    /**
     * Runs {@code task} later on the loop without waiting for it. The future completes when it has
     * run, exceptionally with its failure, or with a {@link CancellationException} when the loop
     * closes first (the term ended with the task still queued).
     */
    public CompletableFuture<Void> run(Runnable task) {
        return submit(() -> {
            task.run();
            return null;
        });
    }

    /** Queues {@code task}; its future answers as {@link #run} says, with the task's result. */
    private <T> CompletableFuture<T> submit(Supplier<T> task) {
        LoopTask<T> queued = new LoopTask<>(task);
        notStarted.add(queued);
        try {
            executor.execute(queued);
        } catch (RejectedExecutionException closed) {
            queued.cancel(false);
        }
        return queued.result;
    }

    /** A task of {@link #submit}: answers its future however it ends, and is cancelled if the loop closes before it starts. */
    private final class LoopTask<T> extends FutureTask<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();

        LoopTask(Supplier<T> task) {
            super(() -> {
                try {
                    return task.get();
                } catch (FencedOutException e) {
                    onFenced.run();
                    throw e;
                }
            });
        }

        @Override
        public void run() {
            notStarted.remove(this);
            super.run();
        }

        @Override
        protected void done() {
            notStarted.remove(this);
            try {
                result.complete(get()); // done: returns or throws at once
            } catch (CancellationException e) {
                result.completeExceptionally(e);
            } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * The result of work done on the loop, waited for at most {@code timeout}; its exception is
     * rethrown as is, and a loop that is too busy or whose term ended is UNAVAILABLE (retry).
     */
    static <T> T answer(Future<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (CancellationException | TimeoutException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FargetException.unavailable("interrupted");
        }
    }

    /**
     * What a caller is told when work on the loop did not answer: the work's own exception as is; a
     * loop whose term ended with the work queued, or too busy to answer in time, is UNAVAILABLE (retry).
     */
    public static RuntimeException failure(Throwable cause) {
        Throwable e = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (e instanceof CancellationException) {
            return FargetException.unavailable("leadership is changing hands; retry");
        }
        if (e instanceof TimeoutException) {
            return FargetException.unavailable("the leader is too busy; retry");
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        // Queued calls would otherwise wait out CALL_TIMEOUT for an answer that never comes. The
        // executor's queue holds its own wrappers of these, so cancelling those would not reach them.
        notStarted.forEach(queued -> queued.cancel(false));
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Leader loop did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (FencedOutException e) {
            log.warn("{}", e.getMessage());
            onFenced.run();
        } catch (RuntimeException e) {
            if (executor.isShutdown()) {
                log.debug("Leader task cut short by the end of leadership: {}", e.toString());
            } else if (e instanceof FargetException) {
                log.warn("Leader task failed: {}", e.getMessage());
            } else {
                log.error("Leader task failed", e);
            }
        }
    }
}
