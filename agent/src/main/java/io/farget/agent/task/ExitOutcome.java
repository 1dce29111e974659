package io.farget.agent.task;

import io.farget.proto.v1.PodPhase;
import io.farget.sandbox.SandboxStatus;

/** How a pod's exit reads to users: which terminal phase, and why. Pure. */
record ExitOutcome(PodPhase phase, String reason) {
    static final String KILLED = "Killed";
    static final String OOM_KILLED = "OOMKilled";

    static ExitOutcome of(SandboxStatus status, boolean killRequested) {
        if (killRequested) {
            return new ExitOutcome(PodPhase.POD_PHASE_KILLED, KILLED);
        }
        if (status.oomKilled()) {
            return new ExitOutcome(PodPhase.POD_PHASE_FAILED, OOM_KILLED);
        }
        int code = status.exitCode() == null ? -1 : status.exitCode();
        return code == 0
                ? new ExitOutcome(PodPhase.POD_PHASE_SUCCEEDED, "")
                : new ExitOutcome(PodPhase.POD_PHASE_FAILED, "exited with code " + code);
    }
}
