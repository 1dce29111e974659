package io.farget.scheduler.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatPacingTest {
    private static final Duration BASE = Duration.ofSeconds(2);
    private static final Duration NOT_READY_AFTER = Duration.ofSeconds(10);

    private final HeartbeatPacing pacing = new HeartbeatPacing(BASE, 500);

    @Test
    void aSmallFleetHeartbeatsAtTheBaseInterval() {
        assertThat(pacing.assign("n1", 1)).isEqualTo(BASE);
        assertThat(pacing.assign("n1000", 1000)).isEqualTo(BASE);
        assertThat(pacing.silenceAllowed("n1000", NOT_READY_AFTER)).isEqualTo(NOT_READY_AFTER);
    }

    @Test
    void aBigFleetIsPacedToTheLeadersBudgetAndMayBeSilentForAsManyHeartbeats() {
        assertThat(pacing.assign("n5000", 5000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(pacing.silenceAllowed("n5000", NOT_READY_AFTER)).isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void aNodeKeepsTheIntervalItWasGivenUntilItRegistersAgain() {
        pacing.assign("n", 5000);
        assertThat(pacing.intervalOf("n")).isEqualTo(Duration.ofSeconds(10)); // the fleet may have shrunk since

        pacing.assign("n", 10);
        assertThat(pacing.intervalOf("n")).isEqualTo(BASE);
        assertThat(pacing.intervalOf("never-registered")).isEqualTo(BASE);
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new HeartbeatPacing(Duration.ZERO, 500)).hasMessageContaining("heartbeat interval");
        assertThatThrownBy(() -> new HeartbeatPacing(BASE, 0)).hasMessageContaining("per second");
    }
}
