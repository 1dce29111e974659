package io.farget.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.scheduler.bootstrap.SchedulerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Options of {@code farget scheduler}: {@code --zk-session-timeout}, the failover-friendly 3 s unless told
 * otherwise; {@code --finished-pod-retention}, an hour unless told otherwise.
 */
class SchedulerOptionsTest {
    private static SchedulerConfig config(String... args) {
        SchedulerCommand command = new SchedulerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void theSessionTimeoutDefaultsToThreeSecondsAndCanBeRaised() {
        assertThat(config("--zk", "127.0.0.1:1").zkSessionTimeout()).isEqualTo(SchedulerConfig.DEFAULT_ZK_SESSION_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(config("--zk", "127.0.0.1:1", "--zk-session-timeout", "10000").zkSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void finishedPodsAreKeptAnHourUnlessToldOtherwise() {
        assertThat(config("--zk", "127.0.0.1:1").finishedPodRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(config("--zk", "127.0.0.1:1", "--finished-pod-retention", "7d").finishedPodRetention()).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> config("--zk", "127.0.0.1:1", "--finished-pod-retention", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--finished-pod-retention");
    }
}
