package io.farget.sandbox;

import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.image.ImageConfig;
import io.farget.sandbox.image.ImageStore;
import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.launch.ShimLauncher;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.ProcessExits;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.net.PodNetwork;
import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.SealedRuncBinary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pods as real sandboxes through runc. A pod of one container without init containers is one
 * runc container owning its pid, mount, uts, ipc and network namespaces. Any other pod gets a pause
 * process ({@code sleep infinity}) holding new network, ipc and uts namespaces with the pod's hostname;
 * each container is a runc container joining them, with its own pid and mount namespaces. Init
 * containers run one at a time, in order, before the containers start. A pod on the pod network gets
 * its network namespace before its pause process, which joins it (see {@link PauseLauncher#startNetworked}).
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
 *
 * <p>This class only wires the parts and hands each call to the one whose job it is: {@link PodStarter},
 * {@link ContainerLifecycle} (exits, restarts, init sequencing), {@link PodStopper}, {@link PodRemover},
 * {@link PodAdopter}, {@link ExecTargets}, {@link PodStats}. A start, an adoption and a removal of one
 * pod id take turns on its lock in the {@link PodRegistry}; a pod's mutable state is guarded by its
 * {@link RuncPod}'s monitor; exits, restarts, grace periods and log sampling run on one events thread.
 */
public final class RuncRuntime implements SandboxRuntime {
    private static final Logger log = LoggerFactory.getLogger(RuncRuntime.class);
    /** The exit code reported when a pod's process ended but its status could not be collected. */
    public static final int EXIT_CODE_UNKNOWN = -1;
    /** The exit code of a container runc could not start (after the pod itself had started). */
    public static final int EXIT_CODE_START_ERROR = 128;
    /** How often every child and shim is looked at when the kernel cannot signal their exits (no pidfds). */
    private static final Duration EXIT_POLL = Duration.ofMillis(25);
    /** The same, where exits are signalled: a safety sweep for a process that could not be watched. */
    private static final Duration EXIT_SWEEP = Duration.ofSeconds(1);

    private final RuncConfig config;
    /** runc as a sealed in-memory copy, which spares runc copying itself at every start; empty where refused. */
    private final Optional<SealedRuncBinary> sealedRunc;
    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final ImageStore images;
    private final Optional<ProcessExits> processExits;
    private final Reaper reaper;
    private final TerminalExecs terminals;
    private final ExitWatcher exitWatcher;
    /** Exit handling, init sequencing and stop timers: off the reaper's thread and off callers' threads. */
    private final ScheduledExecutorService events;
    private final PodRegistry pods = new PodRegistry();
    private final PodStats stats;
    private final PodExits exits;
    private final PodStarter starter;
    private final PodAdopter adopter;
    private final PodStopper stopper;
    private final PodRemover remover;
    private final ExecTargets execTargets;
    private final PodsOnDisk onDisk;

    public RuncRuntime(RuncConfig config) {
        this.config = config;
        LibC libc = LibC.get();
        this.sealedRunc = SealedRuncBinary.of(config.runcBinary(), config.stateRoot().toAbsolutePath().resolveSibling("bin"), libc);
        this.runc = new RuncCommand(sealedRunc.map(SealedRuncBinary::path).orElse(config.runcBinary()), config.stateRoot());
        this.cgroups = Cgroups.detect(config.cgroupRoot());
        BundleWriter bundles = new BundleWriter(HostFolders.probe());
        VolumeSources volumes = new VolumeSources(libc, config.allowedHostPaths());
        this.images = new ImageStore(config.imagesDir(), config.imageCacheBytes(), config.registryAuthFile(),
                ImageConfig.ociArchitecture(System.getProperty("os.arch")), config.clock());
        Reaper.becomeSubreaper(libc);
        this.processExits = ProcessExits.open(libc);
        Duration exitChecks = processExits.isPresent() ? EXIT_SWEEP : EXIT_POLL;
        this.reaper = new Reaper(libc, processExits, exitChecks);
        ShimLauncher shims = new ShimLauncher(libc, reaper);
        this.terminals = new TerminalExecs(runc, reaper, libc);
        this.exitWatcher = new ExitWatcher(processExits, exitChecks);
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runc-events");
            t.setDaemon(true);
            return t;
        });
        LogRotator logRotator = new LogRotator(config.logLimits(), config.clock());
        // Pods' addresses on the host bridge; null when the agent runs without a pod network (loopback only).
        PodNetwork network = config.cni() == null ? null : new PodNetwork(config.cni(), libc);
        if (network != null) {
            // A crashed agent's pods may be gone while their leases and port forwards remain.
            network.collectGarbage(podId -> runc.exists(podId + "." + PodTranslator.PAUSE));
        }
        PodCleanup cleanup = new PodCleanup(runc, cgroups, libc, network);
        QuietRunc quiet = new QuietRunc(runc);
        PodImages podImages = new PodImages(images);
        this.stats = new PodStats(cgroups);
        this.exits = new PodExits(config.clock(), stats, quiet, cleanup);
        ContainerLauncher launcher = new ContainerLauncher(config.clock(), runc, cgroups, bundles, shims, exitWatcher);
        ContainerLifecycle lifecycle = new ContainerLifecycle(config, cgroups, launcher, quiet, exits, events);
        this.starter = new PodStarter(config, pods, runc, cgroups, cleanup, volumes, podImages,
                new PauseLauncher(runc, bundles, reaper, network), lifecycle);
        this.adopter = new PodAdopter(config, pods, runc, volumes, podImages, network, shims, exitWatcher, lifecycle, quiet, exits,
                events);
        this.stopper = new PodStopper(pods, quiet, exits, events);
        LogSampler logs = new LogSampler(logRotator, pods);
        this.remover = new PodRemover(config, pods, cleanup, exitWatcher, logs, podImages);
        this.execTargets = new ExecTargets(pods);
        this.onDisk = new PodsOnDisk(runc, config.podsDir());
        logs.scheduleOn(events);
        log.info("runc runtime started: state {}, pods {}, images {}, cgroup {} parent /{}", config.stateRoot(), config.podsDir(),
                config.imagesDir(), cgroups.version(), config.cgroupParent());
    }

    /** Whether this host can run real sandboxes: runc runs, we are root, cgroups are writable. */
    public static Preflight available(RuncConfig config) {
        return RuncPreflight.check(config);
    }

    @Override
    public void start(SandboxRequest request) throws SandboxException {
        starter.start(request);
    }

    /** See {@link PodAdopter#adopt}. */
    @Override
    public Optional<SandboxRequest> adopt(String podId) {
        return adopter.adopt(podId);
    }

    @Override
    public void stop(String podId, Duration grace) {
        stopper.stop(podId, grace);
    }

    /** See {@link PodRemover#remove}. */
    @Override
    public void remove(String podId) {
        remover.remove(podId);
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
        ExecTargets.ExecTarget target = execTargets.find(podId, container, command);
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
        ExecTargets.ExecTarget target = execTargets.find(podId, container, command);
        log.info("pod {}: exec on a terminal in '{}': {}", podId, target.name(), command.get(0));
        return terminals.start(target.runcId(), target.bundle(), command, size);
    }

    @Override
    public Optional<SandboxStats> stats(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? Optional.empty() : stats.pod(pod);
    }

    @Override
    public List<ContainerStats> containerStats(String podId) {
        RuncPod pod = pods.get(podId);
        return pod == null ? List.of() : stats.containers(pod);
    }

    @Override
    public Path logFile(String podId, String container) {
        return PodLayout.of(config.podsDir(), podId).logFile(container);
    }

    /** See {@link PodsOnDisk#ids}. */
    @Override
    public List<String> list() {
        return onDisk.ids();
    }

    @Override
    public void onExit(ExitListener listener) {
        exits.onExit(listener);
    }

    /** Stops the reaper, the exit watcher and timers; running pods keep running. */
    @Override
    public void close() {
        processExits.ifPresent(ProcessExits::close);
        reaper.close();
        exitWatcher.close();
        events.shutdownNow();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sealedRunc.ifPresent(SealedRuncBinary::close);
    }

    /** The cgroups this runtime found (tests check that removal left nothing in any hierarchy). */
    public Cgroups cgroups() {
        return cgroups;
    }

    /** The image cache (tests check pulls, unpacks and garbage collection). */
    public ImageStore images() {
        return images;
    }
}
