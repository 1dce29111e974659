package io.farget.sandbox;

import io.farget.sandbox.cgroup.CgroupUsage;
import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.launch.ExitWatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a pod's containers from one to the next: init containers one at a time, in order, then
 * all containers; each exit recorded with whether the kernel's OOM killer chose it; a restart after
 * its back-off when the pod's restart policy says so; and the pod's end once nothing runs or waits to
 * run any more. Exits and restarts are handled on the events thread, each under the pod's monitor.
 */
final class ContainerLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ContainerLifecycle.class);

    private final Clock clock;
    private final RestartBackoff restartBackoff;
    private final Cgroups cgroups;
    private final ContainerLauncher launcher;
    private final QuietRunc quiet;
    private final PodExits exits;
    /** The runtime's events thread (see {@link RuncRuntime}): exits and restarts are handled there. */
    private final ScheduledExecutorService events;

    ContainerLifecycle(RuncConfig config, Cgroups cgroups, ContainerLauncher launcher, QuietRunc quiet, PodExits exits,
                       ScheduledExecutorService events) {
        this.clock = config.clock();
        this.restartBackoff = config.restartBackoff();
        this.cgroups = cgroups;
        this.launcher = launcher;
        this.quiet = quiet;
        this.exits = exits;
        this.events = events;
    }

    /**
     * Starts what comes next (caller holds the pod's monitor): the first init container not run yet,
     * or, when every init container succeeded, all containers. {@code synchronous}: a container runc
     * cannot start fails the whole start; otherwise it is recorded as that container's exit.
     */
    void advance(RuncPod pod, boolean synchronous) throws SandboxException {
        if (pod.stopping) {
            return;
        }
        List<ContainerPlan> all = pod.plan.all();
        for (int i = 0; i < pod.plan.initContainers().size(); i++) {
            ContainerRuntimeStatus init = pod.containers.get(i);
            if (init.running()) {
                return;
            }
            if (init.state() == SandboxStatus.State.CREATED) {
                launcher.launchOrRecord(pod, i, synchronous, this::watcherFor);
                return;
            }
        }
        List<Integer> due = new ArrayList<>();
        for (int i = pod.plan.initContainers().size(); i < all.size(); i++) {
            if (pod.containers.get(i).state() == SandboxStatus.State.CREATED) {
                due.add(i);
            }
        }
        launcher.launchOrRecord(pod, due, synchronous, this::watcherFor);
    }

    /** What the exit watcher does when the container at {@code index} ends, or its shim vanishes. */
    ExitWatcher.Watcher watcherFor(RuncPod pod, int index) {
        return new ExitWatcher.Watcher() {
            @Override
            public void exited(int exitCode) {
                events.execute(() -> recordExit(pod, index, exitCode));
            }

            @Override
            public void vanished() {
                ContainerPlan c = pod.plan.all().get(index);
                log.warn("pod {}: the shim of container '{}' vanished without its exit code; killing the container", pod.podId,
                        c.name());
                events.execute(() -> {
                    quiet.kill(pod, c.runcId(), "KILL", true); // nobody would ever learn how it ends
                    recordExit(pod, index, RuncRuntime.EXIT_CODE_UNKNOWN);
                });
            }
        };
    }

    /**
     * One container ended: note its code and whether the kernel's OOM killer chose it (its own
     * cgroup's counter, or the pod's when the pod's sum limit was the one hit), then let the
     * restart policy and the pod's sequence decide what comes next.
     */
    private void recordExit(RuncPod pod, int index, int exitCode) {
        SandboxStatus ended;
        synchronized (pod) {
            ContainerRuntimeStatus before = pod.containers.get(index);
            if (!pod.running() || !before.running()) {
                return;
            }
            ended = containerEnded(pod, index, exitedStatus(pod, index, exitCode, before, clock.instant()));
        }
        exits.tellEnded(pod, ended);
    }

    /** One container's end as status, with whether the kernel's OOM killer chose it. */
    ContainerRuntimeStatus exitedStatus(RuncPod pod, int index, int exitCode, ContainerRuntimeStatus before, Instant finishedAt) {
        ContainerPlan c = pod.plan.all().get(index);
        boolean oom = cgroups.usage(c.oci().cgroupsPath()).map(CgroupUsage::oomKilled).orElse(false)
                || (exitCode == 137 && cgroups.usage(pod.cgroupPath).map(CgroupUsage::oomKilled).orElse(false));
        log.info("pod {}: {} '{}' exited with code {}{}", pod.podId, c.init() ? "init container" : "container", c.name(),
                exitCode, oom ? " (OOM killed)" : "");
        return ContainerRuntimeStatus.exited(c.name(), c.init(), exitCode, oom, before.startedAt(), finishedAt)
                .withRestartCount(before.restartCount());
    }

    /**
     * A container is done with one run (caller holds the pod's monitor): restart it after its
     * back-off when the policy says so, else record the exit, start what comes next, and end the
     * pod when nothing runs or waits to run any more. Returns the pod's end, or null while it goes on.
     */
    SandboxStatus containerEnded(RuncPod pod, int index, ContainerRuntimeStatus exited) {
        ContainerPlan c = pod.plan.all().get(index);
        if (!pod.stopping && !pod.removed && RestartRule.restarts(pod.restartPolicy, c.init(), exited.exitCode())) {
            Duration ranFor = exited.startedAt() == null ? Duration.ZERO : Duration.between(exited.startedAt(), exited.finishedAt());
            Duration delay = restartBackoff.next(pod.backoffs.get(index), ranFor);
            pod.backoffs.set(index, delay);
            pod.containers.set(index, exited.backingOff(delay.toMillis()));
            pod.restartTimers.set(index, events.schedule(() -> restart(pod, index), delay.toMillis(), TimeUnit.MILLISECONDS));
            log.info("pod {}: restarting '{}' in {} ms (restart policy {})", pod.podId, c.name(), delay.toMillis(),
                    pod.restartPolicy.name().substring("RESTART_POLICY_".length()).toLowerCase(Locale.ROOT));
            return null;
        }
        pod.containers.set(index, exited);
        boolean initFailed = c.init() && exited.exitCode() != 0;
        if (!initFailed && !pod.removed) {
            try {
                advance(pod, false);
            } catch (SandboxException e) {
                throw new IllegalStateException("an asynchronous start records its failure", e);
            }
        }
        if (pod.anyContainerActive() || !(initFailed || pod.stopping || allContainersExited(pod))) {
            return null;
        }
        return exits.finish(pod);
    }

    /** A container's back-off is over: forget its old runc state and run it again. */
    private void restart(RuncPod pod, int index) {
        SandboxStatus ended = null;
        synchronized (pod) {
            ContainerRuntimeStatus waiting = pod.containers.get(index);
            pod.restartTimers.set(index, null);
            if (pod.stopping || pod.removed || !pod.running() || !waiting.backingOff()) {
                return;
            }
            ContainerPlan c = pod.plan.all().get(index);
            quiet.deleteQuietly(pod, c.runcId());
            int count = waiting.restartCount() + 1;
            pod.containers.set(index, ContainerRuntimeStatus.waiting(c.name(), c.init()).withRestartCount(count));
            try {
                launcher.launchOrRecord(pod, index, false, this::watcherFor);
            } catch (SandboxException e) {
                throw new IllegalStateException("an asynchronous start records its failure", e);
            }
            ContainerRuntimeStatus now = pod.containers.get(index).withRestartCount(count);
            pod.containers.set(index, now);
            log.info("pod {}: container '{}' restarted (restart {})", pod.podId, c.name(), count);
            if (now.exited()) {
                ended = containerEnded(pod, index, now); // runc could not start it: an exit like any other
            }
        }
        exits.tellEnded(pod, ended);
    }

    private static boolean allContainersExited(RuncPod pod) {
        int inits = pod.plan.initContainers().size();
        return pod.containers.subList(inits, pod.containers.size()).stream().allMatch(ContainerRuntimeStatus::exited);
    }
}
