package io.farget.scheduler.lifecycle;

import com.google.protobuf.Timestamp;
import io.farget.common.PodPhases;
import io.farget.common.Timestamps;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.RestartPolicy;
import java.time.Clock;
import java.util.List;

/**
 * The pod lifecycle: PENDING -> SCHEDULED -> RUNNING -> SUCCEEDED | FAILED | KILLED | LOST, with a
 * refused launch going back to PENDING. Pure: each event gives a {@link Transition} holding the new
 * pod and the side effects to run, so every rule is testable without I/O. Terminal phases never change.
 *
 * <p>Desired state (what the user wants, set here on a kill request) and status (what the agent
 * reported) are separate fields, as in Nomad.
 */
public final class PodStateMachine {
    static final String KILLED_BEFORE_PLACED = "killed before it was placed";
    static final String LOST_BY_AGENT = "the agent no longer knows the pod";

    private final Clock clock;

    public PodStateMachine(Clock clock) {
        this.clock = clock;
    }

    /** A new pod, PENDING, wanted running. */
    public Pod create(String id, PodSpec spec, String requestId) {
        return Pod.newBuilder()
                .setId(id)
                .setSpec(spec)
                .setRequestId(requestId)
                .setDesired(DesiredState.DESIRED_STATE_RUN)
                .setStatus(PodStatus.newBuilder()
                        .setPhase(PodPhase.POD_PHASE_PENDING)
                        .setReason("waiting for placement")
                        .setCreatedAt(now()))
                .build();
    }

    public Transition apply(Pod pod, PodEvent event) {
        if (event instanceof PodEvent.UsageSampled sample) {
            return usage(pod, sample); // usage keeps counting after the end: the last sample may come late
        }
        if (PodPhases.isTerminal(pod.getStatus().getPhase())) {
            return afterTheEnd(pod, event);
        }
        if (event instanceof PodEvent.Placed placed) {
            return placed(pod, placed.nodeId(), placed.gpuDevices());
        }
        if (event instanceof PodEvent.Reported reported) {
            return reported(pod, reported.report());
        }
        if (event instanceof PodEvent.KillRequested) {
            return killRequested(pod);
        }
        if (event instanceof PodEvent.NodeLost lost) {
            return nodeLost(pod, lost.nodeId());
        }
        if (event instanceof PodEvent.MissingOnAgent) {
            return missingOnAgent(pod);
        }
        if (event instanceof PodEvent.Preempted preempted) {
            return preempted(pod, preempted.byPodId());
        }
        if (event instanceof PodEvent.Evicted evicted) {
            return evicted(pod, evicted.reason());
        }
        if (event instanceof PodEvent.StillPending still) {
            return stillPending(pod, still.reason());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /**
     * Evicted for a higher-priority pod. The node's agent is told to kill it; a pod that may restart
     * goes back to PENDING at once (its next placement is a new attempt, so late reports of this one
     * are ignored); restart never ends it FAILED. Its resources count as free from now on: if the
     * agent has not released them when the preemptor's launch arrives, it refuses, and the preemptor
     * is simply placed again.
     */
    private Transition preempted(Pod pod, String byPodId) {
        PodPhase phase = phase(pod);
        if (phase != PodPhase.POD_PHASE_SCHEDULED && phase != PodPhase.POD_PHASE_RUNNING) {
            return Transition.none(pod);
        }
        String reason = "Preempted by " + byPodId;
        String nodeId = pod.getStatus().getNodeId();
        List<SideEffect> kill = List.of(new SideEffect.Kill(nodeId, pod.getId(), reason));
        Pod.Builder b = pod.toBuilder();
        if (pod.getSpec().getRestart() == RestartPolicy.RESTART_POLICY_NEVER
                || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
            finish(b, PodPhase.POD_PHASE_FAILED, reason, null);
        } else {
            b.getStatusBuilder().setPhase(PodPhase.POD_PHASE_PENDING).setNodeId("").clearScheduledAt()
                    .clearGpuDevices().clearIp().setReason(reason);
        }
        return new Transition(pod, b.build(), kill);
    }

    private Transition placed(Pod pod, String nodeId, List<Integer> gpuDevices) {
        if (phase(pod) != PodPhase.POD_PHASE_PENDING || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
            return Transition.none(pod);
        }
        int attempt = pod.getStatus().getAttempt() + 1;
        Pod after = with(pod, s -> s
                .setPhase(PodPhase.POD_PHASE_SCHEDULED)
                .setNodeId(nodeId)
                .setAttempt(attempt)
                .setReportSeq(0) // report_seq counts per attempt: a new node starts its own sequence
                .setReason("")
                .clearGpuDevices()
                .addAllGpuDevices(gpuDevices)
                .setScheduledAt(now()))
                .toBuilder().clearUsage().build(); // usage is per attempt: the new one's sample_seq starts again
        return new Transition(pod, after, List.of(new SideEffect.Launch(nodeId, pod.getId(), attempt, pod.getSpec())));
    }

    private Transition reported(Pod pod, PodReport report) {
        PodStatus status = pod.getStatus();
        if (report.getAttempt() != status.getAttempt() || report.getReportSeq() <= status.getReportSeq()) {
            return Transition.none(pod); // an older attempt, or a repeat / reordered report
        }
        if (phase(pod) == PodPhase.POD_PHASE_PENDING) {
            return Transition.none(pod); // the attempt was already given back; nothing runs it
        }
        Pod.Builder b = pod.toBuilder();
        b.getStatusBuilder().setReportSeq(report.getReportSeq());
        if (report.getContainersCount() > 0) {
            b.getStatusBuilder().clearContainers().addAllContainers(report.getContainersList());
        }
        if (report.hasUsage() && report.getUsage().getSampleSeq() > pod.getUsage().getSampleSeq()) {
            b.setUsage(report.getUsage());
        }
        String nodeId = status.getNodeId();
        switch (report.getPhase()) {
            case POD_PHASE_PENDING -> {
                if (pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
                    finish(b, PodPhase.POD_PHASE_KILLED, report.getReason(), null);
                } else {
                    b.getStatusBuilder()
                            .setPhase(PodPhase.POD_PHASE_PENDING)
                            .setNodeId("")
                            .clearScheduledAt()
                            .setReason("launch refused by node " + nodeId + ": " + report.getReason());
                }
                return new Transition(pod, b.build(), List.of());
            }
            case POD_PHASE_RUNNING -> {
                b.getStatusBuilder().setPhase(PodPhase.POD_PHASE_RUNNING).setReason("")
                        .setStartedAt(orNow(report.getStartedAt())).setIp(report.getIp());
                List<SideEffect> effects = pod.getDesired() == DesiredState.DESIRED_STATE_KILL
                        ? List.of(new SideEffect.Kill(nodeId, pod.getId(), "killed on request"))
                        : List.of();
                return new Transition(pod, b.build(), effects);
            }
            case POD_PHASE_SUCCEEDED, POD_PHASE_FAILED, POD_PHASE_KILLED -> {
                if (!Timestamps.isSet(status.getStartedAt()) && Timestamps.isSet(report.getStartedAt())) {
                    b.getStatusBuilder().setStartedAt(report.getStartedAt());
                }
                if (report.getHasExitCode()) {
                    b.getStatusBuilder().setHasExitCode(true).setExitCode(report.getExitCode());
                }
                finish(b, report.getPhase(), report.getReason(), report.getFinishedAt());
                return new Transition(pod, b.build(), List.of());
            }
            default -> {
                // SCHEDULED: accepted, starting; the reason says what it waits for (e.g. "Pulling REF: 12.3 MiB").
                if (phase(pod) == PodPhase.POD_PHASE_SCHEDULED) {
                    b.getStatusBuilder().setReason(report.getReason());
                }
                return new Transition(pod, b.build(), List.of());
            }
        }
    }

    private Transition killRequested(Pod pod) {
        Pod.Builder b = pod.toBuilder().setDesired(DesiredState.DESIRED_STATE_KILL);
        if (phase(pod) == PodPhase.POD_PHASE_PENDING) {
            finish(b, PodPhase.POD_PHASE_KILLED, KILLED_BEFORE_PLACED, null);
            return new Transition(pod, b.build(), List.of());
        }
        // Sent again on a repeated request: KillPod is idempotent on the agent.
        return new Transition(pod, b.build(),
                List.of(new SideEffect.Kill(pod.getStatus().getNodeId(), pod.getId(), "killed on request")));
    }

    /**
     * Its node has been silent past the LOST timeout. A pod that may restart (and is still wanted)
     * goes back to PENDING: its next placement is a new attempt, so whatever the old node still
     * reports of this one is ignored. A pod with restart policy never ends LOST. Either way the old
     * node is told to kill it: a node cut off with its stream still open gets the order the moment
     * the link heals (a node whose stream broke is told when it registers again), so the pod does
     * not run twice once the node is reachable.
     */
    private Transition nodeLost(Pod pod, String nodeId) {
        if (phase(pod) == PodPhase.POD_PHASE_PENDING || !pod.getStatus().getNodeId().equals(nodeId)) {
            return Transition.none(pod);
        }
        String reason = "node " + nodeId + " was lost";
        Pod.Builder b = pod.toBuilder();
        if (!mayRestart(pod.getSpec()) || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
            finish(b, PodPhase.POD_PHASE_LOST, reason, null);
        } else {
            backToPending(b, reason + "; rescheduling");
        }
        return new Transition(pod, b.build(), List.of(new SideEffect.Kill(nodeId, pod.getId(), reason)));
    }

    /** Moved off a draining node: told to stop there, PENDING again to be placed elsewhere. */
    private Transition evicted(Pod pod, String reason) {
        PodPhase phase = phase(pod);
        if ((phase != PodPhase.POD_PHASE_SCHEDULED && phase != PodPhase.POD_PHASE_RUNNING)
                || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
            return Transition.none(pod);
        }
        Pod.Builder b = pod.toBuilder();
        backToPending(b, reason);
        return new Transition(pod, b.build(), List.of(new SideEffect.Kill(pod.getStatus().getNodeId(), pod.getId(), reason)));
    }

    /** Restart policy on-failure or always (unspecified means never). */
    public static boolean mayRestart(PodSpec spec) {
        return spec.getRestart() == RestartPolicy.RESTART_POLICY_ON_FAILURE || spec.getRestart() == RestartPolicy.RESTART_POLICY_ALWAYS;
    }

    private static void backToPending(Pod.Builder b, String reason) {
        b.getStatusBuilder().setPhase(PodPhase.POD_PHASE_PENDING).setNodeId("").clearScheduledAt().clearGpuDevices()
                .clearIp().setReason(reason);
    }

    private Transition missingOnAgent(Pod pod) {
        PodPhase phase = phase(pod);
        if (phase == PodPhase.POD_PHASE_SCHEDULED) {
            if (pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
                Pod.Builder b = pod.toBuilder();
                finish(b, PodPhase.POD_PHASE_KILLED, "killed before it started", null);
                return new Transition(pod, b.build(), List.of());
            }
            // The launch may never have arrived: send it again; the agent ignores duplicates.
            return new Transition(pod, pod, List.of(new SideEffect.Launch(pod.getStatus().getNodeId(),
                    pod.getId(), pod.getStatus().getAttempt(), pod.getSpec())));
        }
        if (phase == PodPhase.POD_PHASE_RUNNING) {
            // The agent came back without it (a rebooted host, a lost sandbox): a failure like any
            // other, so a pod that may restart gets a new attempt and the others end FAILED.
            Pod.Builder b = pod.toBuilder();
            if (mayRestart(pod.getSpec()) && pod.getDesired() != DesiredState.DESIRED_STATE_KILL) {
                backToPending(b, LOST_BY_AGENT + "; rescheduling");
            } else {
                finish(b, PodPhase.POD_PHASE_FAILED, LOST_BY_AGENT, null);
            }
            return new Transition(pod, b.build(), List.of());
        }
        return Transition.none(pod);
    }

    private Transition stillPending(Pod pod, String reason) {
        if (phase(pod) != PodPhase.POD_PHASE_PENDING || pod.getStatus().getReason().equals(reason)) {
            return Transition.none(pod);
        }
        return new Transition(pod, with(pod, s -> s.setReason(reason)), List.of());
    }

    private Transition usage(Pod pod, PodEvent.UsageSampled sample) {
        if (sample.attempt() != pod.getStatus().getAttempt()
                || sample.usage().getSampleSeq() <= pod.getUsage().getSampleSeq()) {
            return Transition.none(pod);
        }
        return new Transition(pod, pod.toBuilder().setUsage(sample.usage()).build(), List.of());
    }

    /** A finished pod keeps its phase; an agent still running it is told to stop. */
    private Transition afterTheEnd(Pod pod, PodEvent event) {
        if (event instanceof PodEvent.Reported reported
                && reported.report().getAttempt() == pod.getStatus().getAttempt()
                && !PodPhases.isTerminal(reported.report().getPhase())
                && reported.report().getPhase() != PodPhase.POD_PHASE_PENDING
                && !pod.getStatus().getNodeId().isEmpty()) {
            return new Transition(pod, pod, List.of(new SideEffect.Kill(pod.getStatus().getNodeId(), pod.getId(),
                    "pod already ended as " + PodPhases.name(pod.getStatus().getPhase()))));
        }
        return Transition.none(pod);
    }

    private void finish(Pod.Builder b, PodPhase phase, String reason, Timestamp finishedAt) {
        // An ended pod's address went back to its node's pool: showing it would name whoever gets it next.
        b.getStatusBuilder().setPhase(phase).setReason(reason == null ? "" : reason).setFinishedAt(orNow(finishedAt)).clearIp();
    }

    private Timestamp orNow(Timestamp reported) {
        return reported != null && Timestamps.isSet(reported) ? reported : now();
    }

    private Timestamp now() {
        return Timestamps.of(clock.instant());
    }

    private static PodPhase phase(Pod pod) {
        return pod.getStatus().getPhase();
    }

    private static Pod with(Pod pod, java.util.function.UnaryOperator<PodStatus.Builder> change) {
        return pod.toBuilder().setStatus(change.apply(pod.getStatus().toBuilder())).build();
    }
}
