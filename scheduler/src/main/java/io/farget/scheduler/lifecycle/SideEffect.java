package io.farget.scheduler.lifecycle;

import io.farget.proto.v1.PodSpec;

/** What must happen outside the state machine once a transition is committed. */
public sealed interface SideEffect {
    String nodeId();

    String podId();

    /** Send LaunchPod to the node's agent. */
    record Launch(String nodeId, String podId, int attempt, PodSpec spec) implements SideEffect {}

    /** Send KillPod to the node's agent. */
    record Kill(String nodeId, String podId, String reason) implements SideEffect {}
}
