package io.farget.sandbox;

import java.time.Instant;

/**
 * One container of a pod as the runtime sees it. {@code state} CREATED means not started yet (an init
 * container before it still runs, or the pod ended first); {@code exitCode} is set once EXITED.
 *
 * @param init whether it is an init container (run to completion before the others start)
 * @param reason why it ended when that is more than its code: "OOMKilled", "Error", "Completed",
 *     or "StartError: ..." when runc could not start it; null while it runs
 */
public record ContainerRuntimeStatus(String name, boolean init, SandboxStatus.State state, Integer exitCode,
                                     boolean oomKilled, Instant startedAt, Instant finishedAt, String reason) {
    public static final String OOM_KILLED = "OOMKilled";

    public static ContainerRuntimeStatus waiting(String name, boolean init) {
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.CREATED, null, false, null, null, null);
    }

    public static ContainerRuntimeStatus running(String name, boolean init, Instant startedAt) {
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.RUNNING, null, false, startedAt, null, null);
    }

    public static ContainerRuntimeStatus exited(String name, boolean init, int exitCode, boolean oomKilled, Instant startedAt,
                                                Instant finishedAt) {
        String reason = oomKilled ? OOM_KILLED : exitCode == 0 ? "Completed" : "Error";
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.EXITED, exitCode, oomKilled, startedAt, finishedAt, reason);
    }

    public boolean running() {
        return state == SandboxStatus.State.RUNNING;
    }

    public boolean exited() {
        return state == SandboxStatus.State.EXITED;
    }
}
