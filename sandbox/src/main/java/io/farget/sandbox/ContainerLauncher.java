package io.farget.sandbox;

import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.launch.ShimLauncher;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncErrorLog;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pod's containers, each under its own shim ({@link ShimLauncher}), and watches each one
 * that runs for its exit. Which containers start when, and what an exit sets off, is the
 * {@link ContainerLifecycle}'s: it hands in the exit watch, so the two do not need each other.
 */
final class ContainerLauncher {
    private static final Logger log = LoggerFactory.getLogger(ContainerLauncher.class);

    /** The exit watch of a container that just started. */
    @FunctionalInterface
    interface ExitWatches {
        ExitWatcher.Watcher watcherFor(RuncPod pod, int index);
    }

    private final Clock clock;
    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final BundleWriter bundles;
    private final ShimLauncher shims;
    private final ExitWatcher exitWatcher;

    ContainerLauncher(Clock clock, RuncCommand runc, Cgroups cgroups, BundleWriter bundles, ShimLauncher shims,
                      ExitWatcher exitWatcher) {
        this.clock = clock;
        this.runc = runc;
        this.cgroups = cgroups;
        this.bundles = bundles;
        this.shims = shims;
        this.exitWatcher = exitWatcher;
    }

    void launchOrRecord(RuncPod pod, int index, boolean synchronous, ExitWatches watches) throws SandboxException {
        launchOrRecord(pod, List.of(index), synchronous, watches);
    }

    /**
     * Starts these containers side by side (caller holds the pod's monitor): every shim is spawned
     * first, then each container is waited for, so their runc starts overlap instead of adding up.
     * They are independent to runc: own state, own leaf cgroup below the pod's (which exists
     * already), the same pause namespaces to join. Every start is seen through before a failure is
     * thrown, so whoever cleans up after it finds no runc still at work. {@code synchronous}: a
     * container runc cannot start fails the whole start; otherwise it is recorded as that container's exit.
     */
    void launchOrRecord(RuncPod pod, List<Integer> indexes, boolean synchronous, ExitWatches watches) throws SandboxException {
        Map<Integer, Exception> failed = new LinkedHashMap<>();
        Map<Integer, ShimLauncher.Pending> pending = new LinkedHashMap<>();
        for (int index : indexes) {
            try {
                pending.put(index, spawnShim(pod, index));
            } catch (IOException | RuntimeException e) {
                failed.put(index, e);
            }
        }
        for (Map.Entry<Integer, ShimLauncher.Pending> p : pending.entrySet()) {
            try {
                running(pod, p.getKey(), awaitShim(p.getValue()), watches);
            } catch (SandboxException | IOException | RuntimeException e) {
                failed.put(p.getKey(), e);
            }
        }
        SandboxException first = null;
        for (Map.Entry<Integer, Exception> f : failed.entrySet()) {
            ContainerPlan c = pod.plan.all().get(f.getKey());
            Exception e = f.getValue();
            String reason = e instanceof SandboxException ? e.getMessage() : e.toString();
            if (synchronous) {
                if (first == null) {
                    first = e instanceof SandboxException se ? se
                            : new SandboxException("container '" + c.name() + "' failed to start: " + reason, e);
                }
                continue;
            }
            log.info("pod {}: container '{}' failed to start: {}", pod.podId, c.name(), reason);
            var now = clock.instant();
            pod.containers.set(f.getKey(), new ContainerRuntimeStatus(c.name(), c.init(), SandboxStatus.State.EXITED,
                    RuncRuntime.EXIT_CODE_START_ERROR, false, now, now, "StartError: " + reason, 0));
        }
        if (first != null) {
            throw first;
        }
    }

    /** Writes the container's bundle and spawns its shim; the container may not run yet. */
    private ShimLauncher.Pending spawnShim(RuncPod pod, int index) throws IOException {
        ContainerPlan c = pod.plan.all().get(index);
        OciContainer oci = pod.plan.hasPause() ? c.oci().joining(pod.pausePid) : c.oci();
        PodLayout.ContainerBundle bundle = pod.layout.container(c.name());
        bundles.write(pod.layout, bundle, oci);
        return shims.spawn(bundle, runc.runForegroundCommand(c.runcId(), bundle), pod.layout.logFile(c.name()));
    }

    /** Returns once the shim's container runs, or says why it did not start. */
    private ShimLauncher.Launched awaitShim(ShimLauncher.Pending pending) throws SandboxException, IOException {
        try {
            return shims.awaitStarted(pending);
        } catch (ShimLauncher.NotStarted e) {
            String reason = RuncErrorLog.reason(pending.bundle().runcLog()).orElse(e.getMessage());
            throw new SandboxException("sandbox failed to start: " + reason);
        }
    }

    /** The container runs: its quota, pids, start time (stamped only now that runc has started its process), exit watch. */
    private void running(RuncPod pod, int index, ShimLauncher.Launched launched, ExitWatches watches) throws IOException {
        ContainerPlan c = pod.plan.all().get(index);
        var now = clock.instant();
        cgroups.limitCpu(c.oci().cgroupsPath(), c.oci().cpuMillis()); // started unthrottled: see Cgroups.limitCpu
        pod.pids.set(index, launched.containerPid());
        pod.shimPids.set(index, launched.shimPid());
        pod.containers.set(index, ContainerRuntimeStatus.running(c.name(), c.init(), now));
        if (!c.init()) {
            pod.mainContainerRunning(now);
        }
        exitWatcher.watch(pod.layout.container(c.name()), launched.shimPid(), watches.watcherFor(pod, index));
        log.debug("pod {}: container '{}' started as pid {} under shim {}", pod.podId, c.name(), launched.containerPid(),
                launched.shimPid());
    }
}
