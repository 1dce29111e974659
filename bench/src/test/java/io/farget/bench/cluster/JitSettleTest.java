package io.farget.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JitSettleTest {

    @Test
    void quietMeansCompilingLessThanTheShareOfTheWindow() {
        long limit = (long) (JitSettle.QUIET_SHARE * JitSettle.WINDOW.toMillis());

        assertThat(JitSettle.quiet(1_000, 1_000)).isTrue();
        assertThat(JitSettle.quiet(1_000, 1_000 + limit - 1)).isTrue();
        assertThat(JitSettle.quiet(1_000, 1_000 + limit)).isFalse();
    }

    @Test
    void returnsOneWindowAfterTheCompilersStop() throws Exception {
        Duration waited = JitSettle.await(() -> 5_000, Duration.ofSeconds(30));

        assertThat(waited).isGreaterThanOrEqualTo(JitSettle.WINDOW).isLessThan(JitSettle.WINDOW.multipliedBy(3));
    }

    @Test
    void givesUpAtTheLimitWhenTheCompilersNeverStop() throws Exception {
        AtomicLong compiled = new AtomicLong();

        Duration waited = JitSettle.await(() -> compiled.addAndGet(1_000), Duration.ofSeconds(3));

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(3)).isLessThan(Duration.ofSeconds(5));
    }
}
