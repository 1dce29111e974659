package io.farget.scheduler.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZkSessionSettingsTest {
    @Test
    void theDefaultSessionRidesOutAMemberSwitchAndSaysWhichTickTimeItNeeds() {
        ZkSessionSettings settings = ZkSessionSettings.forSessionTimeout(SchedulerConfig.DEFAULT_ZK_SESSION_TIMEOUT);

        assertThat(settings.sessionTimeoutMillis()).isEqualTo(3_000);
        assertThat(settings.connectionTimeoutMillis()).isEqualTo(2_000);
        assertThat(settings.suggestedTickTime()).isEqualTo(500);
        assertThat(settings.negotiationWarning(3_000)).isEmpty();
        assertThat(settings.negotiationWarning(2_000)).isEmpty();
    }

    @Test
    void aLongerSessionGrantedByTheEnsembleIsWarnedAbout() {
        ZkSessionSettings settings = ZkSessionSettings.forSessionTimeout(Duration.ofSeconds(3));

        assertThat(settings.negotiationWarning(4_000)).hasValueSatisfying(warning -> assertThat(warning)
                .contains("granted a 4000 ms session instead of the 3000 ms")
                .contains("tickTime=500"));
    }

    @Test
    void connectionTimeoutStaysWithinBounds() {
        assertThat(ZkSessionSettings.forSessionTimeout(Duration.ofMillis(600)).connectionTimeoutMillis()).isEqualTo(1_000);
        assertThat(ZkSessionSettings.forSessionTimeout(Duration.ofSeconds(30)).connectionTimeoutMillis()).isEqualTo(5_000);
    }
}
