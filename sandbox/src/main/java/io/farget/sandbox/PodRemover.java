package io.farget.sandbox;

import io.farget.sandbox.launch.ExitFiles;
import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.runc.PodLayout;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a pod, running or not, known to this runtime or only found on disk: nothing of it is
 * watched, sampled or restarted any more, and every trace of it but its logs goes. The exits this
 * causes are nobody's news: the pod is marked removed before anything is killed.
 */
final class PodRemover {
    private static final Logger log = LoggerFactory.getLogger(PodRemover.class);
    /** How long remove() waits for killed containers' shims to write their exit codes and end. */
    private static final Duration SHIM_EXIT_WAIT = Duration.ofSeconds(2);

    private final RuncConfig config;
    private final PodRegistry pods;
    private final PodCleanup cleanup;
    private final ExitWatcher exitWatcher;
    private final LogSampler logs;
    private final PodImages podImages;

    PodRemover(RuncConfig config, PodRegistry pods, PodCleanup cleanup, ExitWatcher exitWatcher, LogSampler logs,
               PodImages podImages) {
        this.config = config;
        this.pods = pods;
        this.cleanup = cleanup;
        this.exitWatcher = exitWatcher;
        this.logs = logs;
        this.podImages = podImages;
    }

    /**
     * Kills what still runs ({@code runc delete -f} of every container and the pause) and removes the
     * cgroup folders in every hierarchy, volumes' mounts and the bundle; the logs stay. The listener
     * is not told of an exit this causes.
     */
    void remove(String podId) {
        synchronized (pods.lockFor(podId)) {
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
                    logs.sampleFinal(pod, c);
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
            cleanup.detachNetwork(podId);
            podImages.release(podId);
            log.info("pod {}: removed", podId);
        }
    }

    private static void awaitShimsGone(RuncPod pod) {
        long deadline = System.nanoTime() + SHIM_EXIT_WAIT.toNanos();
        for (long shim : pod.shimPidsSnapshot()) {
            while (shim != 0 && ExitFiles.alive(shim) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }
}
