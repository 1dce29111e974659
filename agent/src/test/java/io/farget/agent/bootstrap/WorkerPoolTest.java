package io.farget.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void aBoundedPoolRunsAtMostItsThreadsAtOnceAndQueuesTheRestInsteadOfRefusing() throws Exception {
        ExecutorService pool = WorkerPool.bounded("test-worker", 3);
        try {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(50);
            for (int i = 0; i < 50; i++) {
                pool.execute(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a start's work
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).as("every queued task ran").isTrue();
            assertThat(most.get()).isBetween(1, 3);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theBlockingIoPoolGivesEachTaskAThreadSoOneThatWaitsForAnotherStillFinishes() throws Exception {
        ExecutorService pool = WorkerPool.blockingIo("test-io");
        try {
            CountDownLatch released = new CountDownLatch(1);
            CountDownLatch waited = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                pool.execute(() -> { // like an exec's pumps: blocked until the command ends
                    try {
                        if (released.await(10, TimeUnit.SECONDS)) {
                            waited.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            pool.execute(released::countDown);
            assertThat(waited.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
