package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.ContainerRuntimeStatus;
import io.farget.sandbox.SandboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitOutcomeTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void anOomKilledContainerOfSeveralIsNamed() {
        var statuses = List.of(ContainerRuntimeStatus.exited("web", false, 0, false, T, T),
                ContainerRuntimeStatus.exited("hog", false, 137, true, T, T));
        ExitOutcome outcome = ExitOutcome.of(SandboxStatus.exited(137, true, T, T), false, statuses);
        assertThat(outcome.phase()).isEqualTo(PodPhase.POD_PHASE_FAILED);
        assertThat(outcome.reason()).isEqualTo("OOMKilled: container 'hog'");
        assertThat(ExitOutcome.of(SandboxStatus.exited(137, true, T, T), false, statuses.subList(1, 2)).reason()).isEqualTo("OOMKilled");
    }

    @Test
    void aFailingContainerOfSeveralIsNamed() {
        var statuses = List.of(ContainerRuntimeStatus.exited("web", false, 0, false, T, T),
                ContainerRuntimeStatus.exited("job", false, 3, false, T, T));
        assertThat(ExitOutcome.of(SandboxStatus.exited(3, false, T, T), false, statuses).reason())
                .isEqualTo("container 'job' exited with code 3");
    }

    @Test
    void theSpecsGracePeriodWinsOverTheKillsAndTheDefault() {
        KillPod kill = KillPod.newBuilder().setGracePeriodMillis(2000).build();
        Duration fallback = Duration.ofSeconds(10);
        assertThat(PodSupervisor.killGrace(PodSpec.newBuilder().setTerminationGracePeriodMillis(500).build(), kill, fallback))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(PodSupervisor.killGrace(PodSpec.getDefaultInstance(), kill, fallback)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PodSupervisor.killGrace(PodSpec.getDefaultInstance(), KillPod.getDefaultInstance(), fallback)).isEqualTo(fallback);
    }

    @Test
    void containerStatusesCarryRestartCountsAndReasons() {
        var proto = ContainerStatuses.of(List.of(ContainerRuntimeStatus.exited("a", false, 1, false, T, T).withRestartCount(3)
                .backingOff(10_000)));
        assertThat(proto.get(0).getRestartCount()).isEqualTo(3);
        assertThat(proto.get(0).getReason()).startsWith("BackOff: restarting in 10000 ms");
        assertThat(proto.get(0).getExitCode()).isEqualTo(1);
    }
}
