package io.farget.sandbox;

import io.farget.proto.v1.LaunchPod;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.launch.ExitFiles;
import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.launch.LaunchRecord;
import io.farget.sandbox.launch.ShimLauncher;
import io.farget.sandbox.net.PodNetwork;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncState;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over a pod that an earlier life of the agent started, restarting nothing: the pod is rebuilt
 * from its launch record and what its bundle holds (pid files, exit code files, live shims), so the
 * {@link ContainerLifecycle} can go on with it as if it had been watched all along.
 */
final class PodAdopter {
    private static final Logger log = LoggerFactory.getLogger(PodAdopter.class);

    private final RuncConfig config;
    private final PodRegistry pods;
    private final RuncCommand runc;
    private final VolumeSources volumes;
    private final PodImages podImages;
    /** Pods' addresses on the host bridge; null when the agent runs without a pod network (loopback only). */
    private final PodNetwork network;
    private final ShimLauncher shims;
    private final ExitWatcher exitWatcher;
    private final ContainerLifecycle lifecycle;
    private final QuietRunc quiet;
    private final PodExits exits;
    /** The runtime's events thread (see {@link RuncRuntime}): an adopted pod's end is told there. */
    private final ScheduledExecutorService events;

    PodAdopter(RuncConfig config, PodRegistry pods, RuncCommand runc, VolumeSources volumes, PodImages podImages,
               PodNetwork network, ShimLauncher shims, ExitWatcher exitWatcher, ContainerLifecycle lifecycle, QuietRunc quiet,
               PodExits exits, ScheduledExecutorService events) {
        this.config = config;
        this.pods = pods;
        this.runc = runc;
        this.volumes = volumes;
        this.podImages = podImages;
        this.network = network;
        this.shims = shims;
        this.exitWatcher = exitWatcher;
        this.lifecycle = lifecycle;
        this.quiet = quiet;
        this.exits = exits;
        this.events = events;
    }

    /**
     * Rebuilds the pod from its launch record and what is on disk: a container with an exit code
     * ended while nobody watched (its real code, and its end time from the file); one whose shim
     * still runs is watched again; one never started waits for its turn. Then the pod goes on as if
     * it had been watched all along: restart policy, init sequencing and the pod's end included.
     */
    Optional<SandboxRequest> adopt(String podId) {
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
        Map<String, CachedImage> acquired;
        try {
            acquired = podImages.acquire(request);
        } catch (SandboxException e) {
            log.warn("pod {}: cannot adopt it, its image is gone: {}", podId, e.getMessage());
            return Optional.empty();
        }
        SandboxStatus ended;
        RuncPod pod;
        synchronized (pods.lockFor(podId)) {
            if (pods.contains(podId)) {
                return Optional.of(pods.get(podId).request);
            }
            try {
                PodPlan plan = PodTranslator.plan(request, config, acquired, volumes.existing(request.spec(), layout));
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
                podImages.release(podId);
                return Optional.empty();
            }
            pods.put(pod);
        }
        log.info("pod {}: adopted (attempt {}, {})", podId, request.attempt(),
                ended == null ? "running" : "ended with code " + ended.exitCode() + " while the agent was away");
        RuncPod adopted = pod;
        SandboxStatus end = ended;
        events.execute(() -> exits.tellEnded(adopted, end));
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
                exitWatcher.watch(bundle, shimPid, lifecycle.watcherFor(pod, i));
            } else {
                log.warn("pod {}: container '{}' has neither a shim nor an exit code; killing it", pod.podId, c.name());
                quiet.kill(pod, c.runcId(), "KILL", true);
                endedMeanwhile.put(i, RuncRuntime.EXIT_CODE_UNKNOWN);
            }
        }
        if (pod.startedAt == null && endedMeanwhile.isEmpty() && pod.containers.stream().noneMatch(ContainerRuntimeStatus::running)) {
            lifecycle.advance(pod, false); // adopted before its first container ran
        }
        SandboxStatus ended = null;
        for (Map.Entry<Integer, Integer> exit : endedMeanwhile.entrySet()) {
            int i = exit.getKey();
            PodLayout.ContainerBundle bundle = pod.layout.container(all.get(i).name());
            var finishedAt = ExitFiles.writtenAt(bundle.exitCodeFile()).orElse(config.clock().instant());
            SandboxStatus end = lifecycle.containerEnded(pod, i, lifecycle.exitedStatus(pod, i, exit.getValue(),
                    pod.containers.get(i), finishedAt));
            ended = end != null ? end : ended;
        }
        return ended;
    }
}
