package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.RestartPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private final RestartBackoff backoff = RestartBackoff.DEFAULT;

    @Test
    void doublesFromTenSecondsUpToFiveMinutes() {
        Duration d = backoff.next(null, Duration.ofSeconds(1));
        assertThat(d).isEqualTo(Duration.ofSeconds(10));
        d = backoff.next(d, Duration.ofSeconds(1));
        assertThat(d).isEqualTo(Duration.ofSeconds(20));
        for (int i = 0; i < 10; i++) {
            d = backoff.next(d, Duration.ofSeconds(1));
        }
        assertThat(d).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void startsOverAfterTenMinutesOfRunning() {
        assertThat(backoff.next(Duration.ofMinutes(5), Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.next(Duration.ofMinutes(5), Duration.ofMinutes(9))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theRuleFollowsThePolicy() {
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_UNSPECIFIED, false, 1)).isFalse();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_NEVER, false, 1)).isFalse();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_ON_FAILURE, false, 1)).isTrue();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_ON_FAILURE, false, 0)).isFalse();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_ALWAYS, false, 0)).isTrue();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_ALWAYS, true, 0)).as("a finished init container is done").isFalse();
        assertThat(RestartRule.restarts(RestartPolicy.RESTART_POLICY_ALWAYS, true, 2)).isTrue();
    }
}
