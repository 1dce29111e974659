package io.farget.sandbox;

import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a pod, wherever it comes from (its last container's exit, a stop with nothing left to
 * signal, an adoption finding it ended): its last counters and its status are kept, what the pod
 * held beyond its containers goes, and the one exit listener is told. Ending happens under the pod's
 * monitor, telling after it is released.
 */
final class PodExits {
    private static final Logger log = LoggerFactory.getLogger(PodExits.class);

    private final Clock clock;
    private final PodStats stats;
    private final QuietRunc quiet;
    private final PodCleanup cleanup;
    private volatile SandboxRuntime.ExitListener listener = (id, status) -> { };

    PodExits(Clock clock, PodStats stats, QuietRunc quiet, PodCleanup cleanup) {
        this.clock = clock;
        this.stats = stats;
        this.quiet = quiet;
        this.cleanup = cleanup;
    }

    void onExit(SandboxRuntime.ExitListener listener) {
        this.listener = listener;
    }

    /** The pod ended (caller holds its monitor): last counters, its status, and the pause goes. */
    SandboxStatus finish(RuncPod pod) {
        if (pod.killTimer != null) {
            pod.killTimer.cancel(false);
        }
        pod.finalStats = stats.read(pod).orElse(new SandboxStats(0, 0, 0));
        pod.finalContainerStats = stats.readContainers(pod);
        SandboxStatus status = PodStatuses.exited(pod.containers, pod.startedAt, clock.instant());
        pod.status = status;
        if (pod.pausePid != 0) {
            quiet.kill(pod, pod.podId + "." + PodTranslator.PAUSE, "KILL", true);
        }
        cleanup.detachNetwork(pod.podId); // its host ports and address are free again as soon as it ends
        Optional<ContainerRuntimeStatus> failure = PodStatuses.firstFailure(pod.containers);
        log.info("pod {}: ended with code {}{}", pod.podId, status.exitCode(),
                failure.map(f -> " (container '" + f.name() + "'" + (f.oomKilled() ? ", OOM killed)" : ")")).orElse(""));
        return status;
    }

    /** Tells the listener of the pod's end, if it ended and was not removed (call without the pod's monitor). */
    void tellEnded(RuncPod pod, SandboxStatus ended) {
        if (ended == null || pod.removed) {
            return;
        }
        try {
            listener.exited(pod.podId, ended);
        } catch (RuntimeException e) {
            log.warn("pod {}: exit listener failed", pod.podId, e);
        }
    }
}
