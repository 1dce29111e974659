package io.farget.sandbox;

import java.time.Instant;

/**
 * A pod sandbox's state. {@code exitCode} is set once {@code state} is EXITED; {@code oomKilled} tells
 * that the kernel's OOM killer ended it (exit 137 alone could also be a plain SIGKILL).
 */
public record SandboxStatus(State state, Integer exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt) {
    public enum State { CREATED, RUNNING, EXITED }

    public static SandboxStatus running(Instant startedAt) {
        return new SandboxStatus(State.RUNNING, null, false, startedAt, null);
    }

    public static SandboxStatus exited(int exitCode, boolean oomKilled, Instant startedAt, Instant finishedAt) {
        return new SandboxStatus(State.EXITED, exitCode, oomKilled, startedAt, finishedAt);
    }
}
