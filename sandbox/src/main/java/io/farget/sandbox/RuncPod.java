package io.farget.sandbox;

import io.farget.sandbox.runc.PodLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** What {@link RuncRuntime} remembers of one pod it started. Mutable state is guarded by the object's monitor. */
final class RuncPod {
    final String podId;
    final PodLayout layout;
    final PodPlan plan;
    final String cgroupPath;
    final Instant startedAt;
    /** The pause process, or 0 for a pod without one. */
    int pausePid;
    /** One per init container and container, in plan order; replaced as they change. */
    final List<ContainerRuntimeStatus> containers = new ArrayList<>();
    /** The host pid of each started container's init, by index in {@link #containers}. */
    final List<Integer> pids = new ArrayList<>();
    volatile SandboxStatus status;
    /** The counters read just before the cgroup went away; null while running. */
    volatile SandboxStats finalStats;
    /** Set by remove(): the exit that follows is the removal's own doing, nobody is told. */
    volatile boolean removed;
    /** Set by stop(): no further container starts. */
    boolean stopping;
    ScheduledFuture<?> killTimer;

    RuncPod(String podId, PodLayout layout, PodPlan plan, String cgroupPath, Instant startedAt) {
        this.podId = podId;
        this.layout = layout;
        this.plan = plan;
        this.cgroupPath = cgroupPath;
        this.startedAt = startedAt;
        this.status = SandboxStatus.running(startedAt);
        for (ContainerPlan c : plan.all()) {
            containers.add(ContainerRuntimeStatus.waiting(c.name(), c.init()));
            pids.add(0);
        }
    }

    boolean running() {
        return status.state() != SandboxStatus.State.EXITED;
    }

    synchronized List<ContainerRuntimeStatus> containerStatuses() {
        return List.copyOf(containers);
    }

    synchronized boolean anyContainerRunning() {
        return containers.stream().anyMatch(ContainerRuntimeStatus::running);
    }
}
