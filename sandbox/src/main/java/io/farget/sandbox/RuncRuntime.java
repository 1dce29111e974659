package io.farget.sandbox;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.LaunchPod;
import io.farget.sandbox.cgroup.CgroupUsage;
import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.image.ImageConfig;
import io.farget.sandbox.image.ImageException;
import io.farget.sandbox.image.ImageStore;
import io.farget.sandbox.launch.ExitFiles;
import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.launch.LaunchRecord;
import io.farget.sandbox.launch.ShimLauncher;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.net.CniException;
import io.farget.sandbox.net.PodNetwork;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pods as real sandboxes through runc. A pod of one container without init containers is one
 * runc container owning its pid, mount, uts, ipc and network namespaces. Any other pod gets a pause
 * process ({@code sleep infinity}) holding new network, ipc and uts namespaces with the pod's hostname;
 * each container is a runc container joining them, with its own pid and mount namespaces. Init
 * containers run one at a time, in order, before the containers start. A pod on the pod network gets
 * its network namespace before its pause process, which joins it (see {@link #startNetworkedPause}).
 * cgroups: the pod's {@code /<parent>/<podId>} carries the pod's limits, each container's leaf below it its own.
 *
 * <p>Roots are read-only: the host's system folders (image-less), or an image unpacked once into the
 * {@link ImageStore}'s cache and shared by all its pods. Containers are hardened by default
 * (capabilities, seccomp, no new privileges, masked kernel paths; see {@code OciSpecBuilder}).
 *
 * <p>Each container runs under its own shim ({@link ShimLauncher}): {@code runc run} in the foreground
 * in a detached process that writes the container's exit code to a file in its bundle, which an
 * {@link ExitWatcher} picks up. The pause process, whose exit code matters to nobody, is started with
 * {@code runc run -d}; this JVM is a child subreaper, so it becomes our child and a {@link Reaper}
 * collects it. {@link #close()} stops watching but leaves pods running; a runtime started later on
 * the same folders takes them over with {@link #adopt}, exits that happened meanwhile included.
 */
public final class RuncRuntime implements SandboxRuntime {
    private static final Logger log = LoggerFactory.getLogger(RuncRuntime.class);
    /** The exit code reported when a pod's process ended but its status could not be collected. */
    public static final int EXIT_CODE_UNKNOWN = -1;
    /** The exit code of a container runc could not start (after the pod itself had started). */
    public static final int EXIT_CODE_START_ERROR = 128;
    private static final Duration REAPER_POLL = Duration.ofMillis(25);
    private static final int LOCK_STRIPES = 64;
    /** How long remove() waits for killed containers' shims to write their exit codes and end. */
    private static final Duration SHIM_EXIT_WAIT = Duration.ofSeconds(2);
    /** How often logs are indexed (the resolution of `logs --since`) and checked against their cap. */
    private static final Duration LOG_SAMPLE = Duration.ofSeconds(1);

    private final RuncConfig config;
    private final LibC libc;
    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final BundleWriter bundles;
    private final PodCleanup cleanup;
    private final VolumeSources volumes;
    private final ImageStore images;
    private final Reaper reaper;
    private final TerminalExecs terminals;
    private final ShimLauncher shims;
    private final ExitWatcher exitWatcher;
    private final LogRotator logRotator;
    /** Pods' addresses on the host bridge; null when the agent runs without a pod network (loopback only). */
    private final PodNetwork network;
    /** Exit handling, init sequencing and stop timers: off the reaper's thread and off callers' threads. */
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
        this.volumes = new VolumeSources(libc, config.allowedHostPaths());
        this.images = new ImageStore(config.imagesDir(), config.imageCacheBytes(), config.registryAuthFile(),
                ImageConfig.ociArchitecture(System.getProperty("os.arch")), config.clock());
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        Reaper.becomeSubreaper(libc);
        this.reaper = new Reaper(libc, REAPER_POLL);
        this.shims = new ShimLauncher(libc, reaper);
        this.terminals = new TerminalExecs(runc, reaper, libc);
        this.exitWatcher = new ExitWatcher(REAPER_POLL);
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runc-events");
            t.setDaemon(true);
            return t;
        });
        this.logRotator = new LogRotator(config.logLimits(), config.clock());
        this.network = config.cni() == null ? null : new PodNetwork(config.cni(), libc);
        if (network != null) {
            // A crashed agent's pods may be gone while their leases and port forwards remain.
            network.collectGarbage(podId -> runc.exists(podId + "." + PodTranslator.PAUSE));
        }
        events.scheduleWithFixedDelay(this::sampleLogs, LOG_SAMPLE.toMillis(), LOG_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
        log.info("runc runtime started: state {}, pods {}, images {}, cgroup {} parent /{}", config.stateRoot(), config.podsDir(),
                config.imagesDir(), cgroups.version(), config.cgroupParent());
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
        PodTranslator.checkSupported(request.spec());
        if (pods.containsKey(podId)) {
            return;
        }
        StartStages stages = new StartStages();
        Map<String, CachedImage> podImages = acquireImages(request); // no pod lock held: pulls never block other pods
        stages.ended("images");
        synchronized (lockFor(podId)) {
            if (pods.containsKey(podId)) {
                return;
            }
            if (runc.exists(podId) || runc.exists(podId + "." + PodTranslator.PAUSE)) {
                log.info("pod {}: runc already has it (started by an earlier agent); not starting it again", podId);
                return;
            }
            stages.ended("lock");
            PodLayout layout = PodLayout.of(config.podsDir(), podId);
            String cgroupPath = config.cgroupPath(podId);
            cleanup.removeBundle(podId, layout); // a stale bundle from a start that crashed half-way
            RuncPod pod = null;
            try {
                long podMemory = PodTranslator.podLimits(request.spec(), config, false).memoryBytes();
                Map<String, Path> sources = volumes.prepare(request.spec(), layout, podMemory);
                PodPlan plan = PodTranslator.plan(request, config, podImages, sources);
                cgroups.limit(cgroupPath, plan.podLimits());
                cgroups.limitCpu(cgroupPath, null); // unthrottled while runc starts the containers
                LaunchRecord.write(layout.launchRecord(), LaunchPod.newBuilder().setPodId(podId)
                        .setAttempt(request.attempt()).setSpec(request.spec()).build());
                stages.ended("prepare");
                pod = new RuncPod(podId, layout, plan, cgroupPath);
                pod.restartPolicy = request.spec().getRestart();
                pod.request = request;
                synchronized (pod) {
                    if (plan.networked()) {
                        startNetworkedPause(pod, stages);
                    } else if (plan.hasPause()) {
                        pod.pausePid = launchPause(pod, plan.pause());
                        stages.ended("pause");
                    }
                    advance(pod, true);
                    stages.ended("containers");
                }
                cgroups.limitCpu(cgroupPath, plan.podLimits().cpuMillis());
                pods.put(podId, pod);
                stages.ended("limits");
            } catch (CniException e) {
                abandon(podId, layout, pod, e.getMessage());
                throw new SandboxException("pod network: " + e.getMessage(), e);
            } catch (SandboxException e) {
                abandon(podId, layout, pod, e.getMessage());
                throw e;
            } catch (IOException | RuntimeException e) {
                abandon(podId, layout, pod, e.toString());
                log.warn("pod {}: cannot start sandbox", podId, e);
                throw new SandboxException("sandbox failed to start: " + e.getMessage(), e);
            }
            log.info("pod {}: started {} container(s){}{} in {} ms", podId, pod.plan.containers().size(),
                    pod.plan.hasPause() ? " beside pause pid " + pod.pausePid : "", pod.address == null ? "" : ", address " + pod.address,
                    stages.totalMillis());
            log.debug("pod {}: start stages: {}", podId, stages);
        }
    }

    /**
     * Rebuilds the pod from its launch record and what is on disk: a container with an exit code
     * ended while nobody watched (its real code, and its end time from the file); one whose shim
     * still runs is watched again; one never started waits for its turn. Then the pod goes on as if
     * it had been watched all along: restart policy, init sequencing and the pod's end included.
     */
    @Override
    public Optional<SandboxRequest> adopt(String podId) {
        RuncPod known = pods.get(podId);
        if (known != null) {
            return Optional.of(known.request);
        }
        PodLayout layout = PodLayout.of(config.podsDir(), podId);
        Optional<LaunchPod> record = LaunchRecord.read(layout.launchRecord());
        if (record.isEmpty()) {
            log.info("pod {}: no launch record, cannot adopt it", podId);
            return Optional.empty();
        }
        SandboxRequest request = new SandboxRequest(podId, record.get().getAttempt(), record.get().getSpec());
        Map<String, CachedImage> podImages;
        try {
            podImages = acquireImages(request);
        } catch (SandboxException e) {
            log.warn("pod {}: cannot adopt it, its image is gone: {}", podId, e.getMessage());
            return Optional.empty();
        }
        SandboxStatus ended;
        RuncPod pod;
        synchronized (lockFor(podId)) {
            if (pods.containsKey(podId)) {
                return Optional.of(pods.get(podId).request);
            }
            try {
                PodPlan plan = PodTranslator.plan(request, config, podImages, volumes.existing(request.spec(), layout));
                pod = new RuncPod(podId, layout, plan, config.cgroupPath(podId));
                pod.restartPolicy = request.spec().getRestart();
                pod.request = request;
                synchronized (pod) {
                    ended = reattach(pod);
                    if (ended == null && network != null) {
                        pod.address = network.recordedAddress(podId).orElse(null);
                    }
                }
            } catch (SandboxException | IOException | RuntimeException e) {
                log.warn("pod {}: cannot adopt it: {}", podId, e.toString());
                images.release(podId);
                return Optional.empty();
            }
            pods.put(podId, pod);
        }
        log.info("pod {}: adopted (attempt {}, {})", podId, request.attempt(),
                ended == null ? "running" : "ended with code " + ended.exitCode() + " while the agent was away");
        RuncPod adopted = pod;
        SandboxStatus end = ended;
        events.execute(() -> tellEnded(adopted, end));
        return Optional.of(request);
    }

    /** Reads each container's state from its bundle (caller holds the pod's monitor); returns the pod's end, or null. */
    private SandboxStatus reattach(RuncPod pod) throws SandboxException, IOException {
        if (pod.plan.hasPause()) {
            pod.pausePid = runc.state(pod.podId + "." + PodTranslator.PAUSE).filter(s -> s.pid() > 0).map(RuncState::pid).orElse(0);
        }
        List<ContainerPlan> all = pod.plan.all();
        Map<Integer, Integer> endedMeanwhile = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            ContainerPlan c = all.get(i);
            PodLayout.ContainerBundle bundle = pod.layout.container(c.name());
            if (!Files.exists(bundle.pidFile())) {
                continue; // never started: advance() starts it when its turn comes
            }
            var startedAt = ExitFiles.writtenAt(bundle.pidFile()).orElse(config.clock().instant());
            pod.containers.set(i, ContainerRuntimeStatus.running(c.name(), c.init(), startedAt));
            pod.pids.set(i, ExitFiles.pid(bundle.pidFile()).orElse(0L).intValue());
            if (!c.init()) {
                pod.mainContainerRunning(startedAt);
            }
            Optional<Integer> code = ExitFiles.read(bundle.exitCodeFile());
            long shimPid = ExitFiles.pid(bundle.shimPidFile()).orElse(0L);
            if (code.isPresent()) {
                endedMeanwhile.put(i, code.get());
            } else if (shimPid != 0 && ExitFiles.alive(shimPid)) {
                pod.shimPids.set(i, shimPid);
                shims.collect(bundle, shimPid);
                exitWatcher.watch(bundle, shimPid, watcherFor(pod, i));
            } else {
                log.warn("pod {}: container '{}' has neither a shim nor an exit code; killing it", pod.podId, c.name());
                kill(pod, c.runcId(), "KILL", true);
                endedMeanwhile.put(i, EXIT_CODE_UNKNOWN);
            }
        }
        if (pod.startedAt == null && endedMeanwhile.isEmpty() && pod.containers.stream().noneMatch(ContainerRuntimeStatus::running)) {
            advance(pod, false); // adopted before its first container ran
        }
        SandboxStatus ended = null;
        for (Map.Entry<Integer, Integer> exit : endedMeanwhile.entrySet()) {
            int i = exit.getKey();
            PodLayout.ContainerBundle bundle = pod.layout.container(all.get(i).name());
            var finishedAt = ExitFiles.writtenAt(bundle.exitCodeFile()).orElse(config.clock().instant());
            SandboxStatus end = containerEnded(pod, i, exitedStatus(pod, i, exit.getValue(), pod.containers.get(i), finishedAt));
            ended = end != null ? end : ended;
        }
        return ended;
    }

    private Map<String, CachedImage> acquireImages(SandboxRequest request) throws SandboxException {
        Map<String, CachedImage> found = new LinkedHashMap<>();
        List<ContainerSpec> all = new ArrayList<>(request.spec().getInitContainersList());
        all.addAll(request.spec().getContainersList());
        try {
            for (ContainerSpec c : all) {
                if (!c.getImage().isEmpty() && !found.containsKey(c.getImage())) {
                    found.put(c.getImage(), images.acquire(c.getImage(), request.podId()));
                }
            }
            return found;
        } catch (ImageException e) {
            images.release(request.podId());
            log.info("pod {}: {}", request.podId(), e.getMessage());
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** Kills what a failed start made and removes every trace of it. */
    private void abandon(String podId, PodLayout layout, RuncPod pod, String why) {
        if (pod != null) {
            pod.removed = true; // the exits of what it had started are nobody's news
        }
        cleanup.removeAll(podId, layout, config.cgroupPath(podId));
        detachNetwork(podId);
        images.release(podId);
        log.info("pod {}: not started: {}", podId, why);
    }

    /**
     * A pod on the pod network, the way containerd starts one: its network namespace is made and
     * pinned first, then CNI ADD wires it on another thread while the pause process starts in it
     * (joined by path), so the two slowest steps of the start overlap instead of adding up. Both are
     * seen through before anything is thrown, so the cleanup after a failure finds neither at work.
     */
    private void startNetworkedPause(RuncPod pod, StartStages stages) throws SandboxException, IOException, CniException {
        Path netns = network.createNamespace(pod.podId);
        stages.ended("netns");
        CompletableFuture<PodNetwork.Attachment> attached = network.attachInBackground(pod.podId, netns, pod.plan.hostPorts());
        try {
            pod.pausePid = launchPause(pod, pod.plan.pause().inNetwork(netns));
            stages.ended("pause");
        } catch (SandboxException | IOException | RuntimeException e) {
            attached.handle((ok, failed) -> null).join(); // its own failure, if any, matters less than the pause's
            throw e;
        }
        pod.address = awaitAttachment(attached).address();
        stages.ended("network");
    }

    private static PodNetwork.Attachment awaitAttachment(CompletableFuture<PodNetwork.Attachment> attached) throws CniException {
        try {
            return attached.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CniException cni) {
                throw cni;
            }
            throw new CniException("CNI ADD failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException("interrupted while CNI ADD ran", e);
        }
    }

    private int launchPause(RuncPod pod, OciContainer pause) throws SandboxException, IOException {
        PodLayout.ContainerBundle bundle = pod.layout.container(PodTranslator.PAUSE);
        int pid = run(pod, pod.podId + "." + PodTranslator.PAUSE, bundle, pause, bundle.dir().resolve("output.log"));
        reaper.watch(pid, new Reaper.Watcher() {
            @Override
            public void exited(int exitCode) {
                log.debug("pod {}: pause exited with {}", pod.podId, exitCode);
            }

            @Override
            public void vanished() {
                log.debug("pod {}: pause vanished", pod.podId);
            }
        });
        return pid;
    }

    /**
     * Starts what comes next (caller holds the pod's monitor): the first init container not run yet,
     * or, when every init container succeeded, all containers. {@code synchronous}: a container runc
     * cannot start fails the whole start; otherwise it is recorded as that container's exit.
     */
    private void advance(RuncPod pod, boolean synchronous) throws SandboxException {
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
                launchOrRecord(pod, i, synchronous);
                return;
            }
        }
        List<Integer> due = new ArrayList<>();
        for (int i = pod.plan.initContainers().size(); i < all.size(); i++) {
            if (pod.containers.get(i).state() == SandboxStatus.State.CREATED) {
                due.add(i);
            }
        }
        launchOrRecord(pod, due, synchronous);
    }

    private void launchOrRecord(RuncPod pod, int index, boolean synchronous) throws SandboxException {
        launchOrRecord(pod, List.of(index), synchronous);
    }

    /**
     * Starts these containers side by side (caller holds the pod's monitor): every shim is spawned
     * first, then each container is waited for, so their runc starts overlap instead of adding up.
     * They are independent to runc: own state, own leaf cgroup below the pod's (which exists
     * already), the same pause namespaces to join. Every start is seen through before a failure is
     * thrown, so whoever cleans up after it finds no runc still at work.
     */
    private void launchOrRecord(RuncPod pod, List<Integer> indexes, boolean synchronous) throws SandboxException {
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
                running(pod, p.getKey(), awaitShim(p.getValue()));
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
            var now = config.clock().instant();
            pod.containers.set(f.getKey(), new ContainerRuntimeStatus(c.name(), c.init(), SandboxStatus.State.EXITED,
                    EXIT_CODE_START_ERROR, false, now, now, "StartError: " + reason, 0));
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
    private void running(RuncPod pod, int index, ShimLauncher.Launched launched) throws IOException {
        ContainerPlan c = pod.plan.all().get(index);
        var now = config.clock().instant();
        cgroups.limitCpu(c.oci().cgroupsPath(), c.oci().cpuMillis()); // started unthrottled: see Cgroups.limitCpu
        pod.pids.set(index, launched.containerPid());
        pod.shimPids.set(index, launched.shimPid());
        pod.containers.set(index, ContainerRuntimeStatus.running(c.name(), c.init(), now));
        if (!c.init()) {
            pod.mainContainerRunning(now);
        }
        exitWatcher.watch(pod.layout.container(c.name()), launched.shimPid(), watcherFor(pod, index));
        log.debug("pod {}: container '{}' started as pid {} under shim {}", pod.podId, c.name(), launched.containerPid(),
                launched.shimPid());
    }

    /** Writes the bundle and runs runc; returns the container's init pid, or says why it did not start. */
    private int run(RuncPod pod, String runcId, PodLayout.ContainerBundle bundle, OciContainer container, Path output)
            throws SandboxException, IOException {
        bundles.write(pod.layout, bundle, container);
        RuncCommand.Result result = runc.runDetached(runcId, bundle, output);
        if (!result.ok()) {
            String reason = RuncErrorLog.reason(bundle.runcLog()).orElse("runc exited with code " + result.exitCode());
            throw new SandboxException("sandbox failed to start: " + reason);
        }
        return Integer.parseInt(Files.readString(bundle.pidFile(), StandardCharsets.US_ASCII).trim());
    }

    private ExitWatcher.Watcher watcherFor(RuncPod pod, int index) {
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
                    kill(pod, c.runcId(), "KILL", true); // nobody would ever learn how it ends
                    recordExit(pod, index, EXIT_CODE_UNKNOWN);
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
            ended = containerEnded(pod, index, exitedStatus(pod, index, exitCode, before, config.clock().instant()));
        }
        tellEnded(pod, ended);
    }

    /** One container's end as status, with whether the kernel's OOM killer chose it. */
    private ContainerRuntimeStatus exitedStatus(RuncPod pod, int index, int exitCode, ContainerRuntimeStatus before,
                                                java.time.Instant finishedAt) {
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
    private SandboxStatus containerEnded(RuncPod pod, int index, ContainerRuntimeStatus exited) {
        ContainerPlan c = pod.plan.all().get(index);
        if (!pod.stopping && !pod.removed && RestartRule.restarts(pod.restartPolicy, c.init(), exited.exitCode())) {
            Duration ranFor = exited.startedAt() == null ? Duration.ZERO : Duration.between(exited.startedAt(), exited.finishedAt());
            Duration delay = config.restartBackoff().next(pod.backoffs.get(index), ranFor);
            pod.backoffs.set(index, delay);
            pod.containers.set(index, exited.backingOff(delay.toMillis()));
            pod.restartTimers.set(index, events.schedule(() -> restart(pod, index), delay.toMillis(), TimeUnit.MILLISECONDS));
            log.info("pod {}: restarting '{}' in {} ms (restart policy {})", pod.podId, c.name(), delay.toMillis(),
                    pod.restartPolicy.name().substring("RESTART_POLICY_".length()).toLowerCase(java.util.Locale.ROOT));
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
        return finish(pod);
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
            deleteQuietly(pod, c.runcId());
            int count = waiting.restartCount() + 1;
            pod.containers.set(index, ContainerRuntimeStatus.waiting(c.name(), c.init()).withRestartCount(count));
            try {
                launchOrRecord(pod, index, false);
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
        tellEnded(pod, ended);
    }

    private void deleteQuietly(RuncPod pod, String runcId) {
        try {
            RuncCommand.Result result = runc.deleteForce(runcId);
            if (!result.ok()) {
                log.debug("pod {}: runc delete {} failed: {}", pod.podId, runcId, result.output().strip());
            }
        } catch (IOException e) {
            log.warn("pod {}: runc delete {} failed: {}", pod.podId, runcId, e.getMessage());
        }
    }

    private void tellEnded(RuncPod pod, SandboxStatus ended) {
        if (ended == null || pod.removed) {
            return;
        }
        try {
            listener.exited(pod.podId, ended);
        } catch (RuntimeException e) {
            log.warn("pod {}: exit listener failed", pod.podId, e);
        }
    }

    private static boolean allContainersExited(RuncPod pod) {
        int inits = pod.plan.initContainers().size();
        return pod.containers.subList(inits, pod.containers.size()).stream().allMatch(ContainerRuntimeStatus::exited);
    }

    /** The pod ended (caller holds its monitor): last counters, its status, and the pause goes. */
    private SandboxStatus finish(RuncPod pod) {
        if (pod.killTimer != null) {
            pod.killTimer.cancel(false);
        }
        Optional<CgroupUsage> usage = cgroups.usage(pod.cgroupPath);
        pod.finalStats = usage.map(RuncRuntime::toStats).orElse(new SandboxStats(0, 0, 0));
        pod.finalContainerStats = readContainerStats(pod);
        SandboxStatus status = PodStatuses.exited(pod.containers, pod.startedAt, config.clock().instant());
        pod.status = status;
        if (pod.pausePid != 0) {
            kill(pod, pod.podId + "." + PodTranslator.PAUSE, "KILL", true);
        }
        detachNetwork(pod.podId); // its host ports and address are free again as soon as it ends
        Optional<ContainerRuntimeStatus> failure = PodStatuses.firstFailure(pod.containers);
        log.info("pod {}: ended with code {}{}", pod.podId, status.exitCode(),
                failure.map(f -> " (container '" + f.name() + "'" + (f.oomKilled() ? ", OOM killed)" : ")")).orElse(""));
        return status;
    }

    @Override
    public void stop(String podId, Duration grace) {
        RuncPod pod = pods.get(podId);
        if (pod == null) {
            return;
        }
        List<String> running = new ArrayList<>();
        SandboxStatus ended = null;
        synchronized (pod) {
            if (!pod.running()) {
                return;
            }
            pod.stopping = true;
            pod.giveUpRestarts();
            if (!pod.anyContainerRunning()) {
                ended = finish(pod); // only containers waiting to restart: nothing to signal
            }
            for (int i = 0; i < pod.containers.size(); i++) {
                if (pod.containers.get(i).running()) {
                    running.add(pod.plan.all().get(i).runcId());
                }
            }
            if (ended == null && pod.killTimer == null && !(grace.isZero() || grace.isNegative())) {
                pod.killTimer = events.schedule(() -> killAll(pod), grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (ended != null) {
            tellEnded(pod, ended);
            return;
        }
        if (grace.isZero() || grace.isNegative()) {
            killAll(pod);
            return;
        }
        for (String runcId : running) {
            kill(pod, runcId, "TERM", false);
        }
    }

    private void killAll(RuncPod pod) {
        if (!pod.running() || pod.removed) {
            return;
        }
        log.info("pod {}: grace period over, killing it", pod.podId);
        List<String> running = new ArrayList<>();
        synchronized (pod) {
            for (int i = 0; i < pod.containers.size(); i++) {
                if (pod.containers.get(i).running()) {
                    running.add(pod.plan.all().get(i).runcId());
                }
            }
        }
        for (String runcId : running) {
            kill(pod, runcId, "KILL", true);
        }
    }

    private void kill(RuncPod pod, String runcId, String signal, boolean all) {
        try {
            RuncCommand.Result result = runc.kill(runcId, signal, all);
            if (!result.ok()) {
                log.debug("pod {}: runc kill {} {} failed: {}", pod.podId, runcId, signal, result.output().strip());
            }
        } catch (IOException e) {
            log.warn("pod {}: runc kill {} {} failed: {}", pod.podId, runcId, signal, e.getMessage());
        }
    }

    /**
     * Kills what still runs ({@code runc delete -f} of every container and the pause) and removes the
     * cgroup folders in every hierarchy, volumes' mounts and the bundle; the logs stay. The listener
     * is not told of an exit this causes.
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
                    pod.giveUpRestarts();
                }
                for (ContainerPlan c : pod.plan.all()) {
                    sampleFinal(pod, c);
                    exitWatcher.forget(pod.layout.container(c.name()));
                }
            }
            PodLayout layout = PodLayout.of(config.podsDir(), podId);
            // The reaper keeps watching a killed pod's pids: runc delete waits for those zombies to be reaped.
            cleanup.deleteRuncState(podId);
            if (pod != null) {
                awaitShimsGone(pod); // a shim still writing its exit code would race the bundle's deletion
            }
            cleanup.removeCgroups(podId, config.cgroupPath(podId));
            cleanup.removeBundle(podId, layout);
            detachNetwork(podId);
            images.release(podId);
            log.info("pod {}: removed", podId);
        }
    }

    private void detachNetwork(String podId) {
        if (network != null) {
            network.detach(podId);
        }
    }

    @Override
    public Optional<String> address(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? Optional.empty() : Optional.ofNullable(pod.address);
    }

    @Override
    public Optional<SandboxStatus> status(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? Optional.empty() : Optional.of(pod.status);
    }

    @Override
    public List<ContainerRuntimeStatus> containers(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? List.of() : pod.containerStatuses();
    }

    @Override
    public Optional<String> progress(String podId) {
        return images.progress(podId);
    }

    @Override
    public Process exec(String podId, String container, List<String> command) throws SandboxException {
        ExecTarget target = execTarget(podId, container, command);
        try {
            log.info("pod {}: exec in '{}': {}", podId, target.name(), command.get(0));
            return runc.exec(target.runcId(), command);
        } catch (IOException e) {
            throw new SandboxException("cannot run runc exec: " + e.getMessage(), e);
        }
    }

    @Override
    public TerminalProcess execOnTerminal(String podId, String container, List<String> command, WindowSize size)
            throws SandboxException {
        ExecTarget target = execTarget(podId, container, command);
        log.info("pod {}: exec on a terminal in '{}': {}", podId, target.name(), command.get(0));
        return terminals.start(target.runcId(), target.bundle(), command, size);
    }

    /** A running container of a running pod that a command may run in. */
    private record ExecTarget(String name, String runcId, PodLayout.ContainerBundle bundle) {}

    private ExecTarget execTarget(String podId, String container, List<String> command) throws SandboxException {
        RuncPod pod = pods.get(podId);
        if (pod == null || !pod.running()) {
            throw new SandboxException("pod " + podId + " is not running here");
        }
        if (command.isEmpty()) {
            throw new SandboxException("exec needs a command");
        }
        String name = container.isEmpty() ? pod.plan.containers().get(0).name() : container;
        List<ContainerPlan> all = pod.plan.all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(name)) {
                if (!pod.containerStatuses().get(i).running()) {
                    throw new SandboxException("container '" + name + "' of pod " + podId + " is not running");
                }
                return new ExecTarget(name, all.get(i).runcId(), pod.layout.container(name));
            }
        }
        throw new SandboxException("pod " + podId + " has no container '" + name + "'");
    }

    private void sampleFinal(RuncPod pod, ContainerPlan c) {
        try {
            logRotator.sample(pod.layout.logFile(c.name()));
        } catch (IOException e) {
            log.debug("pod {}: cannot sample the log of '{}': {}", pod.podId, c.name(), e.toString());
        }
        logRotator.forget(pod.layout.logFile(c.name()));
    }

    /** Indexes every live log's size and rotates those past the cap; runs on the events thread. */
    private void sampleLogs() {
        for (RuncPod pod : pods.values()) {
            for (ContainerPlan c : pod.plan.all()) {
                try {
                    logRotator.sample(pod.layout.logFile(c.name()));
                } catch (IOException | RuntimeException e) {
                    log.debug("pod {}: cannot sample the log of '{}': {}", pod.podId, c.name(), e.toString());
                }
            }
        }
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
    public List<ContainerStats> containerStats(String podId) {
        RuncPod pod = pods.get(podId);
        if (pod == null) {
            return List.of();
        }
        List<ContainerStats> last = pod.finalContainerStats;
        return last != null ? last : readContainerStats(pod);
    }

    /** Each container's leaf cgroup ({@code /<parent>/<pod>/<container>}) that exists, in plan order. */
    private List<ContainerStats> readContainerStats(RuncPod pod) {
        List<ContainerStats> out = new ArrayList<>();
        for (ContainerPlan c : pod.plan.all()) {
            cgroups.usage(c.oci().cgroupsPath()).ifPresent(u -> out.add(new ContainerStats(c.name(), toStats(u))));
        }
        return List.copyOf(out);
    }

    @Override
    public Path logFile(String podId, String container) {
        return PodLayout.of(config.podsDir(), podId).logFile(container);
    }

    /** Pods with runc state (of a container or a pause) or a bundle on disk (a folder holding only logs is a removed pod). */
    @Override
    public List<String> list() {
        TreeSet<String> ids = new TreeSet<>();
        try {
            for (String runcId : runc.ids()) {
                int dot = runcId.indexOf('.');
                ids.add(dot < 0 ? runcId : runcId.substring(0, dot));
            }
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

    private static void awaitShimsGone(RuncPod pod) {
        long deadline = System.nanoTime() + SHIM_EXIT_WAIT.toNanos();
        for (long shim : pod.shimPidsSnapshot()) {
            while (shim != 0 && ExitFiles.alive(shim) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Stops the reaper, the exit watcher and timers; running pods keep running. */
    @Override
    public void close() {
        reaper.close();
        exitWatcher.close();
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

    /** The image cache (tests check pulls, unpacks and garbage collection). */
    public ImageStore images() {
        return images;
    }

    private static SandboxStats toStats(CgroupUsage usage) {
        return new SandboxStats(usage.cpuNanos(), usage.workingSetBytes(), usage.peakMemoryBytes());
    }

    private Object lockFor(String podId) {
        return locks[Math.floorMod(podId.hashCode(), LOCK_STRIPES)];
    }
}
