package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A call queued on the loop when the term ends is answered at once, not after the 30 s call timeout. */
class LeaderLoopCloseTest {
    @Test
    void aCallStillQueuedWhenTheLoopClosesFailsAsUnavailableAtOnce() throws Exception {
        LeaderLoop loop = new LeaderLoop(7, () -> { });
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Throwable> queued = CompletableFuture.supplyAsync(() -> {
            try {
                loop.call(() -> "never");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(50)).until(() -> !queued.isDone());

        loop.close();

        Throwable failure = queued.get(5, TimeUnit.SECONDS);
        release.countDown();
        assertThat(failure).isInstanceOf(FargetException.class);
        assertThat(((FargetException) failure).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
