package io.farget.agent.task;

import java.time.Duration;

/**
 * Timing rules of the pod supervisor.
 *
 * @param defaultKillGrace SIGTERM-to-SIGKILL time when a KillPod names none
 * @param retention how long finished pods are remembered (and re-reported in Register)
 */
public record PodPolicy(Duration defaultKillGrace, Duration retention) {
    public static PodPolicy defaults() {
        return new PodPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10));
    }
}
