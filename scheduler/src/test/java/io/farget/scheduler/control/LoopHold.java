package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a leader loop busy until released, as a long batch of work would, so that what comes meanwhile queues up behind it. */
final class LoopHold {
    private final Duration wait;
    private final CountDownLatch release = new CountDownLatch(1);

    /** @param wait how long the loop is held at most, and how long {@link #hold} waits for it to be */
    LoopHold(Duration wait) {
        this.wait = wait;
    }

    /** Returns once the loop runs the holding task. */
    void hold(LeaderLoop loop) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await(wait.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(wait.toSeconds(), TimeUnit.SECONDS)).as("the loop is held").isTrue();
    }

    void release() {
        release.countDown();
    }
}
