package io.farget.scheduler.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final PodStateMachine machine = new PodStateMachine(Clock.fixed(T0, ZoneOffset.UTC));

    private static final PodSpec SPEC = PodSpec.newBuilder().setName("web").addContainers(ContainerSpec.newBuilder()
            .setName("main").addCommand("true").setResources(Resources.newBuilder().setCpuMillis(100).setMemoryBytes(64L << 20))).build();

    private Pod pending() {
        return machine.create("abcdefghijkl", SPEC, "req");
    }

    private Pod scheduled() {
        return machine.apply(pending(), new PodEvent.Placed("n1")).after();
    }

    private Pod running() {
        return machine.apply(scheduled(), report(1, 1, PodPhase.POD_PHASE_RUNNING)).after();
    }

    private static PodEvent.Reported report(int attempt, long seq, PodPhase phase) {
        return new PodEvent.Reported(PodReport.newBuilder().setPodId("abcdefghijkl").setAttempt(attempt)
                .setReportSeq(seq).setPhase(phase).build());
    }

    @Test
    void aNewPodIsPendingWithItsCreationTime() {
        Pod pod = pending();
        assertThat(pod.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(pod.getDesired()).isEqualTo(DesiredState.DESIRED_STATE_RUN);
        assertThat(Timestamps.toInstant(pod.getStatus().getCreatedAt())).isEqualTo(T0);
    }

    @Test
    void placingSchedulesTheNextAttemptAndLaunchesIt() {
        Transition t = machine.apply(pending(), new PodEvent.Placed("n1"));

        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED);
        assertThat(t.after().getStatus().getNodeId()).isEqualTo("n1");
        assertThat(t.after().getStatus().getAttempt()).isEqualTo(1);
        assertThat(Timestamps.isSet(t.after().getStatus().getScheduledAt())).isTrue();
        assertThat(t.effects()).containsExactly(new SideEffect.Launch("n1", "abcdefghijkl", 1, SPEC));
        assertThat(t.placed()).isTrue();
    }

    @Test
    void runningTakesTheStartTimeFromTheAgent() {
        Timestamp started = Timestamps.of(T0.minusSeconds(5));
        PodReport r = PodReport.newBuilder().setPodId("abcdefghijkl").setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING).setStartedAt(started).build();

        Pod pod = machine.apply(scheduled(), new PodEvent.Reported(r)).after();

        assertThat(pod.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
        assertThat(pod.getStatus().getStartedAt()).isEqualTo(started);
    }

    @Test
    void aRunningPodKeepsTheAddressItsAgentReportsUntilItEnds() {
        PodReport r = PodReport.newBuilder().setPodId("abcdefghijkl").setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING).setIp("10.88.0.7").build();

        Pod pod = machine.apply(scheduled(), new PodEvent.Reported(r)).after();
        assertThat(pod.getStatus().getIp()).isEqualTo("10.88.0.7");

        Pod ended = machine.apply(pod, report(1, 2, PodPhase.POD_PHASE_SUCCEEDED)).after();
        assertThat(ended.getStatus().getIp()).as("its address went back to the node's pool").isEmpty();
    }

    @Test
    void aFailedReportEndsThePodWithItsExitCode() {
        PodReport r = PodReport.newBuilder().setPodId("abcdefghijkl").setAttempt(1).setReportSeq(2)
                .setPhase(PodPhase.POD_PHASE_FAILED).setHasExitCode(true).setExitCode(3).build();

        Transition t = machine.apply(running(), new PodEvent.Reported(r));

        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_FAILED);
        assertThat(t.after().getStatus().getExitCode()).isEqualTo(3);
        assertThat(t.after().getStatus().getHasExitCode()).isTrue();
        assertThat(Timestamps.isSet(t.after().getStatus().getFinishedAt())).isTrue();
        assertThat(t.finished()).isTrue();
    }

    @Test
    void terminalPhasesNeverChange() {
        Pod failed = machine.apply(running(), report(1, 2, PodPhase.POD_PHASE_FAILED)).after();

        for (PodEvent e : List.of(new PodEvent.Placed("n2"), new PodEvent.KillRequested(), new PodEvent.NodeLost("n1"),
                new PodEvent.MissingOnAgent(), new PodEvent.StillPending("x"), report(1, 3, PodPhase.POD_PHASE_SUCCEEDED))) {
            assertThat(machine.apply(failed, e).after().getStatus().getPhase()).as("%s", e).isEqualTo(PodPhase.POD_PHASE_FAILED);
        }
    }

    @Test
    void anAgentStillRunningAFinishedPodIsToldToKillIt() {
        Pod failed = machine.apply(running(), report(1, 2, PodPhase.POD_PHASE_FAILED)).after();

        Transition t = machine.apply(failed, report(1, 3, PodPhase.POD_PHASE_RUNNING));

        assertThat(t.changed()).isFalse();
        assertThat(t.effects()).singleElement().isInstanceOf(SideEffect.Kill.class);
    }

    @Test
    void reportsWithAnOldSeqOrAnOldAttemptAreIgnored() {
        Pod pod = machine.apply(scheduled(), report(1, 5, PodPhase.POD_PHASE_RUNNING)).after();

        assertThat(machine.apply(pod, report(1, 4, PodPhase.POD_PHASE_FAILED)).changed()).isFalse();
        assertThat(machine.apply(pod, report(1, 5, PodPhase.POD_PHASE_FAILED)).changed()).isFalse();
        assertThat(machine.apply(pod, report(0, 9, PodPhase.POD_PHASE_FAILED)).changed()).isFalse();
        assertThat(machine.apply(pod, report(1, 6, PodPhase.POD_PHASE_FAILED)).phaseAfter()).isEqualTo(PodPhase.POD_PHASE_FAILED);
    }

    @Test
    void aRefusedLaunchPutsThePodBackToPendingWithTheReason() {
        PodReport refusal = PodReport.newBuilder().setPodId("abcdefghijkl").setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_PENDING).setReason("not enough memory").build();

        Transition t = machine.apply(scheduled(), new PodEvent.Reported(refusal));

        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(t.after().getStatus().getNodeId()).isEmpty();
        assertThat(t.after().getStatus().getReason()).contains("not enough memory").contains("n1");
        assertThat(t.returnedToPending()).isTrue();
        // the next placement is a new attempt whose reports count from zero again
        Pod again = machine.apply(t.after(), new PodEvent.Placed("n2")).after();
        assertThat(again.getStatus().getAttempt()).isEqualTo(2);
        assertThat(again.getStatus().getReportSeq()).isZero();
    }

    @Test
    void killingAPendingPodEndsItAtOnce() {
        Transition t = machine.apply(pending(), new PodEvent.KillRequested());

        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_KILLED);
        assertThat(t.after().getDesired()).isEqualTo(DesiredState.DESIRED_STATE_KILL);
        assertThat(t.effects()).isEmpty();
    }

    @Test
    void killingARunningPodAsksItsAgentAndWaitsForTheReport() {
        Transition t = machine.apply(running(), new PodEvent.KillRequested());

        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
        assertThat(t.after().getDesired()).isEqualTo(DesiredState.DESIRED_STATE_KILL);
        assertThat(t.effects()).singleElement().isInstanceOf(SideEffect.Kill.class);

        Pod killed = machine.apply(t.after(), report(1, 2, PodPhase.POD_PHASE_KILLED)).after();
        assertThat(killed.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_KILLED);
    }

    @Test
    void aKillRequestedPodIsNotPlaced() {
        Pod killed = machine.apply(pending(), new PodEvent.KillRequested()).after();
        assertThat(machine.apply(killed, new PodEvent.Placed("n1")).changed()).isFalse();
    }

    @Test
    void aLostNodeLosesItsPods() {
        Transition t = machine.apply(running(), new PodEvent.NodeLost("n1"));
        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_LOST);
        assertThat(machine.apply(running(), new PodEvent.NodeLost("other")).changed()).isFalse();
    }

    @Test
    void aLostNodesRestartablePodGoesBackToPendingForANewAttempt() {
        Pod pod = running().toBuilder().setSpec(SPEC.toBuilder().setRestart(RestartPolicy.RESTART_POLICY_ON_FAILURE)).build();
        Transition t = machine.apply(pod, new PodEvent.NodeLost("n1"));
        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(t.after().getStatus().getNodeId()).isEmpty();
        // the old node is told to kill it: delivered when its link heals, or it re-registers
        assertThat(t.effects()).containsExactly(new SideEffect.Kill("n1", pod.getId(), "node n1 was lost"));

        Transition again = machine.apply(t.after(), new PodEvent.Placed("n2"));
        assertThat(again.after().getStatus().getAttempt()).isEqualTo(2);
        assertThat(machine.apply(again.after(), report(1, 9, PodPhase.POD_PHASE_RUNNING)).changed())
                .as("the old attempt's late report").isFalse();
    }

    @Test
    void anEvictedPodIsKilledOnItsNodeAndPendingAgain() {
        Transition t = machine.apply(running(), new PodEvent.Evicted("node n1 is draining"));
        assertThat(t.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(t.effects()).singleElement().isEqualTo(new SideEffect.Kill("n1", "abcdefghijkl", "node n1 is draining"));
    }

    @Test
    void anAgentThatForgotAScheduledPodGetsItAgainAndALostRunningPodFailsOrIsRescheduledPerItsPolicy() {
        Transition relaunch = machine.apply(scheduled(), new PodEvent.MissingOnAgent());
        assertThat(relaunch.changed()).isFalse();
        assertThat(relaunch.effects()).containsExactly(new SideEffect.Launch("n1", "abcdefghijkl", 1, SPEC));

        Transition lost = machine.apply(running(), new PodEvent.MissingOnAgent());
        assertThat(lost.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_FAILED);

        Pod restartable = running().toBuilder().setSpec(SPEC.toBuilder().setRestart(RestartPolicy.RESTART_POLICY_ALWAYS)).build();
        Transition again = machine.apply(restartable, new PodEvent.MissingOnAgent());
        assertThat(again.phaseAfter()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(again.after().getStatus().getNodeId()).isEmpty();
        assertThat(again.after().getStatus().getReason()).contains("rescheduling");
    }

    @Test
    void stillPendingRecordsTheExplanationOnlyWhenItChanges() {
        Pod pod = machine.apply(pending(), new PodEvent.StillPending("0/1 nodes available: 1 insufficient cpu")).after();
        assertThat(pod.getStatus().getReason()).isEqualTo("0/1 nodes available: 1 insufficient cpu");
        assertThat(machine.apply(pod, new PodEvent.StillPending("0/1 nodes available: 1 insufficient cpu")).changed()).isFalse();
    }

    @Test
    void onlyNewerUsageSamplesOfTheCurrentAttemptCount() {
        Pod pod = running();
        PodUsage first = PodUsage.newBuilder().setCpuNanos(100).setSampleSeq(2).build();
        Pod sampled = machine.apply(pod, new PodEvent.UsageSampled(1, first)).after();
        assertThat(sampled.getUsage()).isEqualTo(first);

        PodUsage older = PodUsage.newBuilder().setCpuNanos(50).setSampleSeq(1).build();
        assertThat(machine.apply(sampled, new PodEvent.UsageSampled(1, older)).changed()).isFalse();
        assertThat(machine.apply(sampled, new PodEvent.UsageSampled(0, PodUsage.newBuilder().setSampleSeq(9).build())).changed()).isFalse();
    }

    @Test
    void aNewAttemptStartsItsUsageAfreshSoItsSamplesCount() {
        Pod sampled = machine.apply(running(), new PodEvent.UsageSampled(1,
                PodUsage.newBuilder().setCpuNanos(900).setSampleSeq(40).build())).after();
        Pod refused = machine.apply(sampled, new PodEvent.Reported(PodReport.newBuilder().setPodId("abcdefghijkl")
                .setAttempt(1).setReportSeq(2).setPhase(PodPhase.POD_PHASE_PENDING).setReason("no room").build())).after();

        Pod second = machine.apply(refused, new PodEvent.Placed("n2")).after();
        assertThat(second.getStatus().getAttempt()).isEqualTo(2);
        assertThat(second.hasUsage()).isFalse();

        PodUsage firstOfSecond = PodUsage.newBuilder().setCpuNanos(10).setSampleSeq(1).build();
        Pod sampledAgain = machine.apply(second, new PodEvent.UsageSampled(2, firstOfSecond)).after();
        assertThat(sampledAgain.getUsage()).isEqualTo(firstOfSecond);
    }
}
