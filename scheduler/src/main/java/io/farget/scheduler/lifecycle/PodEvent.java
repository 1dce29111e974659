package io.farget.scheduler.lifecycle;

import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsage;
import java.util.List;

/** Something that happened to a pod; {@link PodStateMachine} decides what it means. */
public sealed interface PodEvent {
    /** The plan applier chose a node for the pod. */
    record Placed(String nodeId, List<Integer> gpuDevices) implements PodEvent {
        public Placed(String nodeId) {
            this(nodeId, List.of());
        }
    }

    /** The pod's agent reported its truth about one attempt (a refusal is a report of PENDING). */
    record Reported(PodReport report) implements PodEvent {}

    /** A user asked for the pod to be killed. */
    record KillRequested() implements PodEvent {}

    /** The pod's node is gone for good, and the pod with it. */
    record NodeLost(String nodeId) implements PodEvent {}

    /** The pod's agent registered again without mentioning the pod. */
    record MissingOnAgent() implements PodEvent {}

    /**
     * The plan applier evicts the pod to make room for a higher-priority one: its agent is told to
     * kill it; it goes back to PENDING, or ends FAILED when its restart policy is never.
     */
    record Preempted(String byPodId) implements PodEvent {}

    /**
     * The pod's node is being drained: its agent is told to stop it, and the pod goes back to PENDING
     * to be placed elsewhere as a new attempt (only asked of pods whose restart policy allows it).
     */
    record Evicted(String reason) implements PodEvent {}

    /** Placement could not place the pod; the reason says why. */
    record StillPending(String reason) implements PodEvent {}

    /** A cumulative usage sample for one attempt; only newer samples count. */
    record UsageSampled(int attempt, PodUsage usage) implements PodEvent {}
}
