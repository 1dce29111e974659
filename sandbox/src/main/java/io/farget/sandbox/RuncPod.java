package io.farget.sandbox;

import io.farget.proto.v1.RestartPolicy;
import io.farget.sandbox.runc.PodLayout;
import java.time.Duration;
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
    /** When its first main container was running; null while only init containers have run. */
    volatile Instant startedAt;
    /** The pause process, or 0 for a pod without one. */
    int pausePid;
    /** The pod's address on the host bridge; null without a pod network. */
    volatile String address;
    /** One per init container and container, in plan order; replaced as they change. */
    final List<ContainerRuntimeStatus> containers = new ArrayList<>();
    /** The host pid of each started container's init, by index in {@link #containers}. */
    final List<Integer> pids = new ArrayList<>();
    /** The pid of each started container's shim (0 before its start), by index in {@link #containers}. */
    final List<Long> shimPids = new ArrayList<>();
    /** What the pod was started with; what {@code adopt} hands back. */
    volatile SandboxRequest request;
    volatile SandboxStatus status;
    /** The counters read just before the cgroup went away; null while running. */
    volatile SandboxStats finalStats;
    /** The containers' counters read at the same moment; null while running. */
    volatile List<ContainerStats> finalContainerStats;
    /** Set by remove(): the exit that follows is the removal's own doing, nobody is told. */
    volatile boolean removed;
    /** Set by stop(): no further container starts. */
    boolean stopping;
    ScheduledFuture<?> killTimer;
    /** Set once at start: whether and when exited containers are started again. */
    RestartPolicy restartPolicy = RestartPolicy.RESTART_POLICY_NEVER;
    /** Per container: the back-off before its current run (null before any restart), and its pending restart. */
    final List<Duration> backoffs = new ArrayList<>();
    final List<ScheduledFuture<?>> restartTimers = new ArrayList<>();

    RuncPod(String podId, PodLayout layout, PodPlan plan, String cgroupPath) {
        this.podId = podId;
        this.layout = layout;
        this.plan = plan;
        this.cgroupPath = cgroupPath;
        this.status = SandboxStatus.running(null);
        for (ContainerPlan c : plan.all()) {
            containers.add(ContainerRuntimeStatus.waiting(c.name(), c.init()));
            pids.add(0);
            shimPids.add(0L);
            backoffs.add(null);
            restartTimers.add(null);
        }
    }

    /** A main container runs (caller holds the monitor): the first one's start is the pod's. */
    void mainContainerRunning(Instant at) {
        if (startedAt == null && running()) {
            startedAt = at;
            status = SandboxStatus.running(at);
        }
    }

    boolean running() {
        return status.state() != SandboxStatus.State.EXITED;
    }

    synchronized List<ContainerRuntimeStatus> containerStatuses() {
        return List.copyOf(containers);
    }

    synchronized List<Long> shimPidsSnapshot() {
        return List.copyOf(shimPids);
    }

    synchronized boolean anyContainerRunning() {
        return containers.stream().anyMatch(ContainerRuntimeStatus::running);
    }

    /** Whether something still runs or will run again (a container waiting out its restart back-off). */
    synchronized boolean anyContainerActive() {
        return containers.stream().anyMatch(c -> c.running() || c.backingOff());
    }

    /** Cancels pending restarts and makes each waiting container's last exit final (caller holds the monitor). */
    void giveUpRestarts() {
        for (int i = 0; i < containers.size(); i++) {
            ScheduledFuture<?> timer = restartTimers.get(i);
            if (timer != null) {
                timer.cancel(false);
                restartTimers.set(i, null);
            }
            containers.set(i, containers.get(i).givenUp());
        }
    }
}
