package io.farget.sandbox;

import io.farget.sandbox.runc.PodLayout;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/** What {@link RuncRuntime} remembers of one pod it started. */
final class RuncPod {
    final String podId;
    final PodLayout layout;
    final String cgroupPath;
    final int pid;
    final Instant startedAt;
    volatile SandboxStatus status;
    /** The counters read just before the cgroup went away; null while running. */
    volatile SandboxStats finalStats;
    /** Set by remove(): the exit that follows is the removal's own doing, nobody is told. */
    volatile boolean removed;
    ScheduledFuture<?> killTimer;

    RuncPod(String podId, PodLayout layout, String cgroupPath, int pid, Instant startedAt) {
        this.podId = podId;
        this.layout = layout;
        this.cgroupPath = cgroupPath;
        this.pid = pid;
        this.startedAt = startedAt;
        this.status = SandboxStatus.running(startedAt);
    }

    boolean running() {
        return status.state() != SandboxStatus.State.EXITED;
    }
}
