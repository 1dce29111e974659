package io.farget.sandbox;

import io.farget.proto.v1.LaunchPod;
import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.launch.LaunchRecord;
import io.farget.sandbox.net.CniException;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pod: its images (outside any lock), volumes, cgroup limits and launch record, its pause
 * process when it has one, then its first containers, and only then publishes it. A start that
 * fails half-way kills what it made and removes every trace of it, so a failed start leaves nothing.
 */
final class PodStarter {
    private static final Logger log = LoggerFactory.getLogger(PodStarter.class);

    private final RuncConfig config;
    private final PodRegistry pods;
    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final PodCleanup cleanup;
    private final VolumeSources volumes;
    private final PodImages podImages;
    private final PauseLauncher pauses;
    private final ContainerLifecycle lifecycle;

    PodStarter(RuncConfig config, PodRegistry pods, RuncCommand runc, Cgroups cgroups, PodCleanup cleanup, VolumeSources volumes,
               PodImages podImages, PauseLauncher pauses, ContainerLifecycle lifecycle) {
        this.config = config;
        this.pods = pods;
        this.runc = runc;
        this.cgroups = cgroups;
        this.cleanup = cleanup;
        this.volumes = volumes;
        this.podImages = podImages;
        this.pauses = pauses;
        this.lifecycle = lifecycle;
    }

    void start(SandboxRequest request) throws SandboxException {
        String podId = request.podId();
        PodTranslator.checkSupported(request.spec());
        if (pods.contains(podId)) {
            return;
        }
        StartStages stages = new StartStages();
        Map<String, CachedImage> acquired = podImages.acquire(request); // no pod lock held: pulls never block other pods
        stages.ended("images");
        synchronized (pods.lockFor(podId)) {
            if (pods.contains(podId)) {
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
                PodPlan plan = PodTranslator.plan(request, config, acquired, sources);
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
                        pauses.startNetworked(pod, stages);
                    } else if (plan.hasPause()) {
                        pod.pausePid = pauses.launch(pod, plan.pause());
                        stages.ended("pause");
                    }
                    lifecycle.advance(pod, true);
                    stages.ended("containers");
                }
                cgroups.limitCpu(cgroupPath, plan.podLimits().cpuMillis());
                pods.put(pod);
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

    /** Kills what a failed start made and removes every trace of it. */
    private void abandon(String podId, PodLayout layout, RuncPod pod, String why) {
        if (pod != null) {
            pod.removed = true; // the exits of what it had started are nobody's news
        }
        cleanup.removeAll(podId, layout, config.cgroupPath(podId));
        cleanup.detachNetwork(podId);
        podImages.release(podId);
        log.info("pod {}: not started: {}", podId, why);
    }
}
