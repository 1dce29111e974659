package io.farget.agent.task;

import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerState;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.ContainerRuntimeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's knowledge of one pod attempt. Mutable; every access (but to the atomic flag) holds
 * the record's monitor, so the start, exit, kill and sampling paths of one pod never interleave,
 * while pods never wait on each other.
 */
final class PodRecord {
    final String podId;
    final int attempt;
    final PodSpec spec;
    final Resources size;

    PodPhase phase = PodPhase.POD_PHASE_SCHEDULED;
    long reportSeq;
    Integer exitCode;
    String reason = "";
    Instant startedAt;
    Instant finishedAt;
    /** A KillPod arrived: the exit that follows is KILLED, whatever its code. */
    boolean killRequested;
    /** runtime.start returned (successfully); before that, stop() would not find the sandbox. */
    boolean started;
    Duration killGrace;
    PodUsage usage = PodUsage.getDefaultInstance();
    PodReport lastReport;
    /** Each container as the runtime last reported it; empty until the sandbox exists. */
    List<ContainerStatus> containers = List.of();
    /** The runtime's answer {@link #containers} were last refreshed from; an equal answer needs no conversion. */
    List<ContainerRuntimeStatus> runtimeContainers = List.of();
    /** The pod's own IP address on the node's pod network while it runs; empty without one. */
    String ip = "";
    /** The runtime told that the containers changed (set without the monitor: the runtime's thread must not wait on it). */
    final AtomicBoolean containersChanged = new AtomicBoolean();

    PodRecord(String podId, int attempt, PodSpec spec) {
        this.podId = podId;
        this.attempt = attempt;
        this.spec = spec;
        this.size = ResourceMath.podSize(spec);
    }

    boolean isTerminal() {
        return PodPhases.isTerminal(phase);
    }

    /** The report of the current state under {@code seq}; remembered for Register after a reconnect. */
    PodReport report(long seq) {
        reportSeq = seq;
        PodReport.Builder b = PodReport.newBuilder()
                .setPodId(podId)
                .setAttempt(attempt)
                .setReportSeq(seq)
                .setPhase(phase)
                .setReason(reason)
                .setUsage(usage);
        if (!isTerminal()) {
            b.setIp(ip); // an ended pod's address went back to the pool
        }
        if (exitCode != null) {
            b.setHasExitCode(true).setExitCode(exitCode);
        }
        if (startedAt != null) {
            b.setStartedAt(Timestamps.of(startedAt));
        }
        if (finishedAt != null) {
            b.setFinishedAt(Timestamps.of(finishedAt));
        }
        b.addAllContainers(containers.isEmpty() ? ContainerStatuses.uniform(spec, containerState()) : containers);
        lastReport = b.build();
        return lastReport;
    }

    private ContainerState containerState() {
        if (isTerminal()) {
            return ContainerState.CONTAINER_STATE_EXITED;
        }
        return phase == PodPhase.POD_PHASE_RUNNING ? ContainerState.CONTAINER_STATE_RUNNING : ContainerState.CONTAINER_STATE_WAITING;
    }
}
