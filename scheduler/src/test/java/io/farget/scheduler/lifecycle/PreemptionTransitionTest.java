package io.farget.scheduler.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreemptionTransitionTest {
    private final PodStateMachine machine = new PodStateMachine(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    private io.farget.proto.v1.Pod placed(RestartPolicy restart) {
        PodSpec spec = PodSpec.newBuilder().setName("low").setRestart(restart)
                .addContainers(ContainerSpec.newBuilder().setName("main").addCommand("true")).build();
        return machine.apply(machine.create("low", spec, ""), new PodEvent.Placed("n1", List.of(0))).after();
    }

    @Test
    void aRestartablePodGoesBackToPendingAndItsAgentIsToldToKillIt() {
        io.farget.proto.v1.Pod pod = placed(RestartPolicy.RESTART_POLICY_ALWAYS);
        assertThat(pod.getStatus().getGpuDevicesList()).containsExactly(0);
        Transition t = machine.apply(pod, new PodEvent.Preempted("high"));
        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(t.after().getStatus().getReason()).isEqualTo("Preempted by high");
        assertThat(t.after().getStatus().getNodeId()).isEmpty();
        assertThat(t.after().getStatus().getGpuDevicesList()).isEmpty();
        assertThat(t.effects()).containsExactly(new SideEffect.Kill("n1", "low", "Preempted by high"));
        // The next placement is a new attempt, so late reports of the evicted one are ignored.
        assertThat(machine.apply(t.after(), new PodEvent.Placed("n2")).after().getStatus().getAttempt()).isEqualTo(2);
    }

    @Test
    void aPodThatMayNotRestartEndsFailed() {
        Transition t = machine.apply(placed(RestartPolicy.RESTART_POLICY_NEVER), new PodEvent.Preempted("high"));
        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_FAILED);
        assertThat(t.after().getStatus().getReason()).isEqualTo("Preempted by high");
        assertThat(t.effects()).hasSize(1);
    }

    @Test
    void aPendingOrFinishedPodIsNotPreempted() {
        io.farget.proto.v1.Pod failed = machine.apply(placed(RestartPolicy.RESTART_POLICY_NEVER), new PodEvent.Preempted("x")).after();
        assertThat(machine.apply(failed, new PodEvent.Preempted("y")).changed()).isFalse();
    }
}
