package io.farget.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a pod: no container starts or restarts any more, each running one gets SIGTERM, and
 * SIGKILL once the grace period is over. The containers' exits then end the pod as any exits do
 * ({@link ContainerLifecycle}); a pod with nothing left running ends at once. Signals are sent
 * without the pod's monitor held.
 */
final class PodStopper {
    private static final Logger log = LoggerFactory.getLogger(PodStopper.class);

    private final PodRegistry pods;
    private final QuietRunc quiet;
    private final PodExits exits;
    /** The runtime's events thread (see {@link RuncRuntime}): grace periods end there. */
    private final ScheduledExecutorService events;

    PodStopper(PodRegistry pods, QuietRunc quiet, PodExits exits, ScheduledExecutorService events) {
        this.pods = pods;
        this.quiet = quiet;
        this.exits = exits;
        this.events = events;
    }

    void stop(String podId, Duration grace) {
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
                ended = exits.finish(pod); // only containers waiting to restart: nothing to signal
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
            exits.tellEnded(pod, ended);
            return;
        }
        if (grace.isZero() || grace.isNegative()) {
            killAll(pod);
            return;
        }
        for (String runcId : running) {
            quiet.kill(pod, runcId, "TERM", false);
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
            quiet.kill(pod, runcId, "KILL", true);
        }
    }
}
