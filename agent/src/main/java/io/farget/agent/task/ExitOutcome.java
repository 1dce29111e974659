package io.farget.agent.task;

import io.farget.proto.v1.PodPhase;
import io.farget.sandbox.ContainerRuntimeStatus;
import io.farget.sandbox.SandboxStatus;
import java.util.List;
import java.util.Optional;

/** How a pod's exit reads to users: which terminal phase, and why. Pure. */
record ExitOutcome(PodPhase phase, String reason) {
    static final String KILLED = "Killed";
    static final String OOM_KILLED = "OOMKilled";

    static ExitOutcome of(SandboxStatus status, boolean killRequested) {
        return of(status, killRequested, List.of());
    }

    /**
     * @param containers the pod's containers as the runtime last saw them: with more than one, the
     *     reason names the container that failed ("OOMKilled: container 'worker'")
     */
    static ExitOutcome of(SandboxStatus status, boolean killRequested, List<ContainerRuntimeStatus> containers) {
        if (killRequested) {
            return new ExitOutcome(PodPhase.POD_PHASE_KILLED, KILLED);
        }
        boolean several = containers.size() > 1;
        if (status.oomKilled()) {
            Optional<String> victim = containers.stream().filter(ContainerRuntimeStatus::oomKilled).map(ContainerRuntimeStatus::name).findFirst();
            return new ExitOutcome(PodPhase.POD_PHASE_FAILED,
                    several && victim.isPresent() ? OOM_KILLED + ": container '" + victim.get() + "'" : OOM_KILLED);
        }
        int code = status.exitCode() == null ? -1 : status.exitCode();
        if (code == 0) {
            return new ExitOutcome(PodPhase.POD_PHASE_SUCCEEDED, "");
        }
        Optional<String> failed = containers.stream()
                .filter(c -> c.exitCode() != null && c.exitCode() == code && c.exited()).map(ContainerRuntimeStatus::name).findFirst();
        return new ExitOutcome(PodPhase.POD_PHASE_FAILED, several && failed.isPresent()
                ? "container '" + failed.get() + "' exited with code " + code
                : "exited with code " + code);
    }
}
