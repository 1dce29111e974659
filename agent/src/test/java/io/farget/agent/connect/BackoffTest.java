package io.farget.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFrom200MillisUpToOneSecondAndResets() {
        Backoff backoff = new Backoff(() -> 0.5); // the middle of the jitter range: no spread

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(1000));

        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void jitterSpreadsEachDelayByAtMostTwentyPercent() {
        assertThat(new Backoff(() -> 0.0).next()).isEqualTo(Duration.ofMillis(160));
        assertThat(new Backoff(() -> 0.999999).next()).isEqualTo(Duration.ofMillis(240));
    }
}
