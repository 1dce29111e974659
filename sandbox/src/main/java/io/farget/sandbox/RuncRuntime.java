package io.farget.sandbox;

import io.farget.sandbox.cgroup.CgroupUsage;
import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncErrorLog;
import io.farget.sandbox.runc.RuncState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pods as real sandboxes through runc: one container per pod today, image-less (the host's /usr
 * and /etc read-only), with its own pid, mount, uts, ipc and network namespaces and cgroup limits.
 *
 * <p>This JVM becomes a child subreaper at construction, so each container's init is our child once
 * {@code runc run -d} returns; a {@link Reaper} collects their exit codes. {@link #close()} stops
 * watching but leaves pods running: a restarted agent re-adopts them.
 */
public final class RuncRuntime implements SandboxRuntime {
    private static final Logger log = LoggerFactory.getLogger(RuncRuntime.class);
    /** The exit code reported when a pod's process ended but its status could not be collected. */
    public static final int EXIT_CODE_UNKNOWN = -1;
    private static final Duration REAPER_POLL = Duration.ofMillis(25);
    private static final int LOCK_STRIPES = 64;

    private final RuncConfig config;
    private final LibC libc;
    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final BundleWriter bundles;
    private final PodCleanup cleanup;
    private final Reaper reaper;
    /** Exit handling and stop timers: off the reaper's thread and off callers' threads. */
    private final ScheduledExecutorService events;
    private final Map<String, RuncPod> pods = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[LOCK_STRIPES];
    private volatile ExitListener listener = (id, status) -> { };

    public RuncRuntime(RuncConfig config) {
        this.config = config;
        this.libc = LibC.get();
        this.runc = new RuncCommand(config.runcBinary(), config.stateRoot());
        this.cgroups = Cgroups.detect(config.cgroupRoot());
        this.bundles = new BundleWriter(HostFolders.probe());
        this.cleanup = new PodCleanup(runc, cgroups, libc);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        Reaper.becomeSubreaper(libc);
        this.reaper = new Reaper(libc, REAPER_POLL);
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runc-events");
            t.setDaemon(true);
            return t;
        });
        log.info("runc runtime ready: state {}, pods {}, cgroup {} parent /{}", config.stateRoot(), config.podsDir(),
                cgroups.version(), config.cgroupParent());
    }

    /** Whether this host can run real sandboxes: runc runs, we are root, cgroups are writable. */
    public static Preflight available(RuncConfig config) {
        String version;
        try {
            RuncCommand.Result result = new RuncCommand(config.runcBinary(), config.stateRoot()).version();
            if (!result.ok()) {
                return Preflight.notReady("'" + config.runcBinary() + " --version' failed: " + result.output().strip());
            }
            version = result.output().lines().findFirst().orElse("runc").strip();
        } catch (IOException e) {
            return Preflight.notReady("runc not found ('" + config.runcBinary() + "'): install the runc package");
        }
        try {
            if (LibC.get().geteuid() != 0) {
                return Preflight.notReady(version + " found, but the agent is not root (runc needs root for cgroup limits)");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Preflight.notReady("cannot call libc through JNA: " + e.getMessage());
        }
        Cgroups found = Cgroups.detect(config.cgroupRoot());
        Optional<String> problem = found.problem();
        if (problem.isPresent()) {
            return Preflight.notReady(problem.get());
        }
        return Preflight.ready(version + ", root, cgroup " + found.version() + " writable");
    }

    @Override
    public void start(SandboxRequest request) throws SandboxException {
        String podId = request.podId();
        OciContainer container = PodTranslator.mainContainer(request, config);
        String containerName = PodTranslator.containerName(request.spec());
        synchronized (lockFor(podId)) {
            if (pods.containsKey(podId)) {
                return;
            }
            if (runc.exists(podId)) {
                log.info("pod {}: runc already has it (started by an earlier agent); not starting it again", podId);
                return;
            }
            PodLayout layout = PodLayout.of(config.podsDir(), podId);
            long began = System.nanoTime();
            int pid = launch(podId, layout, container, containerName);
            RuncPod pod = new RuncPod(podId, layout, container.cgroupsPath(), pid, config.clock().instant());
            pods.put(podId, pod);
            reaper.watch(pid, watcherFor(pod));
            log.info("pod {}: started '{}' as pid {} in {} ms", podId, String.join(" ", container.args()), pid,
                    (System.nanoTime() - began) / 1_000_000);
        }
    }

    /** Writes the bundle and runs runc; on any failure removes what it made and says why. */
    private int launch(String podId, PodLayout layout, OciContainer container, String containerName) throws SandboxException {
        cleanup.removeBundle(podId, layout); // a stale bundle from a start that crashed half-way
        try {
            bundles.write(layout, container);
            RuncCommand.Result result = runc.runDetached(podId, layout, layout.logFile(containerName));
            if (!result.ok()) {
                String reason = RuncErrorLog.reason(layout.runcLog()).orElse("runc exited with code " + result.exitCode());
                throw new SandboxException("sandbox failed to start: " + reason);
            }
            return Integer.parseInt(Files.readString(layout.pidFile(), StandardCharsets.US_ASCII).trim());
        } catch (SandboxException e) {
            cleanup.removeAll(podId, layout, container.cgroupsPath());
            log.info("pod {}: {}", podId, e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            cleanup.removeAll(podId, layout, container.cgroupsPath());
            log.warn("pod {}: cannot start sandbox", podId, e);
            throw new SandboxException("sandbox failed to start: " + e.getMessage(), e);
        }
    }

    private Reaper.Watcher watcherFor(RuncPod pod) {
        return new Reaper.Watcher() {
            @Override
            public void exited(int exitCode) {
                events.execute(() -> recordExit(pod, exitCode));
            }

            @Override
            public void vanished() {
                events.execute(() -> recordVanished(pod));
            }
        };
    }

    /** Reads the cgroup's last counters (OOM kills included) before anything removes it, then tells the listener. */
    private void recordExit(RuncPod pod, int exitCode) {
        SandboxStatus status;
        synchronized (pod) {
            if (!pod.running()) {
                return;
            }
            if (pod.killTimer != null) {
                pod.killTimer.cancel(false);
            }
            Optional<CgroupUsage> usage = cgroups.usage(pod.cgroupPath);
            boolean oomKilled = usage.map(CgroupUsage::oomKilled).orElse(false);
            pod.finalStats = usage.map(RuncRuntime::toStats).orElse(new SandboxStats(0, 0, 0));
            status = SandboxStatus.exited(exitCode, oomKilled, pod.startedAt, config.clock().instant());
            pod.status = status;
        }
        log.info("pod {}: exited with code {}{}", pod.podId, exitCode, status.oomKilled() ? " (OOM killed)" : "");
        if (!pod.removed) {
            try {
                listener.exited(pod.podId, status);
            } catch (RuntimeException e) {
                log.warn("pod {}: exit listener failed", pod.podId, e);
            }
        }
    }

    /** The pid is gone without us reaping it: ask runc what it knows before declaring the exit code lost. */
    private void recordVanished(RuncPod pod) {
        try {
            Optional<RuncState> state = runc.state(pod.podId);
            if (state.isPresent() && state.get().running() && state.get().pid() != pod.pid) {
                log.warn("pod {}: pid {} vanished but runc reports pid {} running; watching that", pod.podId, pod.pid, state.get().pid());
                reaper.watch(state.get().pid(), watcherFor(pod));
                return;
            }
        } catch (IOException e) {
            log.warn("pod {}: runc state failed: {}", pod.podId, e.getMessage());
        }
        log.warn("pod {}: process {} ended but its exit status was lost", pod.podId, pod.pid);
        recordExit(pod, EXIT_CODE_UNKNOWN);
    }

    @Override
    public void stop(String podId, Duration grace) {
        RuncPod pod = pods.get(podId);
        if (pod == null || !pod.running()) {
            return;
        }
        if (grace.isZero() || grace.isNegative()) {
            killAll(pod);
            return;
        }
        signal(pod, "TERM", false);
        synchronized (pod) {
            if (pod.running() && pod.killTimer == null) {
                pod.killTimer = events.schedule(() -> killAll(pod), grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void killAll(RuncPod pod) {
        if (pod.running() && !pod.removed) {
            log.info("pod {}: grace period over, killing it", pod.podId);
            signal(pod, "KILL", true);
        }
    }

    private void signal(RuncPod pod, String signal, boolean all) {
        try {
            RuncCommand.Result result = runc.kill(pod.podId, signal, all);
            if (!result.ok() && pod.running()) {
                log.debug("pod {}: runc kill {} failed: {}", pod.podId, signal, result.output().strip());
            }
        } catch (IOException e) {
            log.warn("pod {}: runc kill {} failed: {}", pod.podId, signal, e.getMessage());
        }
    }

    /**
     * Kills what still runs ({@code runc delete -f}) and removes the cgroup folders in every hierarchy,
     * leftover mounts and the bundle; the logs stay. The listener is not told of an exit this causes.
     */
    @Override
    public void remove(String podId) {
        synchronized (lockFor(podId)) {
            RuncPod pod = pods.remove(podId);
            if (pod != null) {
                pod.removed = true;
                synchronized (pod) {
                    if (pod.killTimer != null) {
                        pod.killTimer.cancel(false);
                    }
                }
            }
            PodLayout layout = PodLayout.of(config.podsDir(), podId);
            // The reaper keeps watching a killed pod's pid: runc delete waits for that zombie to be reaped.
            cleanup.removeAll(podId, layout, config.cgroupPath(podId));
            log.info("pod {}: removed", podId);
        }
    }

    @Override
    public Optional<SandboxStatus> status(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? Optional.empty() : Optional.of(pod.status);
    }

    @Override
    public Optional<SandboxStats> stats(String podId) {
        RuncPod pod = pods.get(podId);
        if (pod == null) {
            return Optional.empty();
        }
        SandboxStats last = pod.finalStats;
        if (last != null) {
            return Optional.of(last);
        }
        return cgroups.usage(pod.cgroupPath).map(RuncRuntime::toStats);
    }

    @Override
    public Path logFile(String podId, String container) {
        return PodLayout.of(config.podsDir(), podId).logFile(container);
    }

    /** Pods with runc state or a bundle on disk (a folder holding only logs is a removed pod). */
    @Override
    public List<String> list() {
        TreeSet<String> ids = new TreeSet<>();
        try {
            ids.addAll(runc.ids());
            if (Files.isDirectory(config.podsDir())) {
                try (Stream<Path> entries = Files.list(config.podsDir())) {
                    entries.filter(p -> Files.isDirectory(p.resolve("bundle"))).forEach(p -> ids.add(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            log.warn("cannot list pods: {}", e.getMessage());
        }
        return List.copyOf(ids);
    }

    @Override
    public void onExit(ExitListener listener) {
        this.listener = listener;
    }

    /** Stops the reaper and timers; running pods keep running. */
    @Override
    public void close() {
        reaper.close();
        events.shutdownNow();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cgroups this runtime found (tests check that removal left nothing in any hierarchy). */
    public Cgroups cgroups() {
        return cgroups;
    }

    private static SandboxStats toStats(CgroupUsage usage) {
        return new SandboxStats(usage.cpuNanos(), usage.memoryBytes(), usage.peakMemoryBytes());
    }

    private Object lockFor(String podId) {
        return locks[Math.floorMod(podId.hashCode(), LOCK_STRIPES)];
    }
}
