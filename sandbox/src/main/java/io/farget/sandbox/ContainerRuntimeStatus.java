package io.farget.sandbox;

import java.time.Instant;

/**
 * One container of a pod as the runtime sees it. {@code state} CREATED means not started yet (an init
 * container before it still runs, the pod ended first, or it waits out a restart back-off); {@code
 * exitCode} is set once EXITED, and kept while a restarted container waits (its last exit).
 *
 * @param init whether it is an init container (run to completion before the others start)
 * @param reason why it ended when that is more than its code: "OOMKilled", "Error", "Completed",
 *     "StartError: ..." when runc could not start it, or "BackOff: ..." while it waits to restart; null while it runs
 * @param restartCount how many times the runtime restarted it under the pod's restart policy
 */
public record ContainerRuntimeStatus(String name, boolean init, SandboxStatus.State state, Integer exitCode,
                                     boolean oomKilled, Instant startedAt, Instant finishedAt, String reason,
                                     int restartCount) {
    public static final String OOM_KILLED = "OOMKilled";
    public static final String BACK_OFF = "BackOff";

    public static ContainerRuntimeStatus waiting(String name, boolean init) {
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.CREATED, null, false, null, null, null, 0);
    }

    public static ContainerRuntimeStatus running(String name, boolean init, Instant startedAt) {
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.RUNNING, null, false, startedAt, null, null, 0);
    }

    public static ContainerRuntimeStatus exited(String name, boolean init, int exitCode, boolean oomKilled, Instant startedAt,
                                                Instant finishedAt) {
        String reason = oomKilled ? OOM_KILLED : exitCode == 0 ? "Completed" : "Error";
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.EXITED, exitCode, oomKilled, startedAt, finishedAt, reason, 0);
    }

    /** The same container having been restarted {@code count} times in all. */
    public ContainerRuntimeStatus withRestartCount(int count) {
        return new ContainerRuntimeStatus(name, init, state, exitCode, oomKilled, startedAt, finishedAt, reason, count);
    }

    /** This exited container waiting {@code delayMillis} to be started again; its last exit stays visible. */
    public ContainerRuntimeStatus backingOff(long delayMillis) {
        String last = reason == null ? "" : " after " + reason;
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.CREATED, exitCode, oomKilled, startedAt, finishedAt,
                BACK_OFF + ": restarting in " + delayMillis + " ms" + last, restartCount);
    }

    /** A container waiting to restart whose pod is stopping: its last exit is final after all. */
    public ContainerRuntimeStatus givenUp() {
        if (!backingOff()) {
            return this;
        }
        String why = oomKilled ? OOM_KILLED : exitCode != null && exitCode == 0 ? "Completed" : "Error";
        return new ContainerRuntimeStatus(name, init, SandboxStatus.State.EXITED, exitCode, oomKilled, startedAt, finishedAt, why,
                restartCount);
    }

    public boolean running() {
        return state == SandboxStatus.State.RUNNING;
    }

    public boolean exited() {
        return state == SandboxStatus.State.EXITED;
    }

    /** Waiting out a restart back-off: neither running nor ended for good. */
    public boolean backingOff() {
        return state == SandboxStatus.State.CREATED && reason != null && reason.startsWith(BACK_OFF);
    }
}
