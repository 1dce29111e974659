package io.farget.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the containers' logs for the {@link LogRotator}: every live log now and then (which
 * indexes its size and rotates it past its cap), and a container's log one last time when its pod
 * is removed.
 */
final class LogSampler {
    private static final Logger log = LoggerFactory.getLogger(LogSampler.class);
    /** How often logs are indexed (the resolution of `logs --since`) and checked against their cap. */
    private static final Duration LOG_SAMPLE = Duration.ofSeconds(1);

    private final LogRotator logRotator;
    private final PodRegistry pods;

    LogSampler(LogRotator logRotator, PodRegistry pods) {
        this.logRotator = logRotator;
        this.pods = pods;
    }

    /** Samples every live log from now on, on the runtime's events thread. */
    void scheduleOn(ScheduledExecutorService events) {
        events.scheduleWithFixedDelay(this::sampleLogs, LOG_SAMPLE.toMillis(), LOG_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Indexes every live log's size and rotates those past the cap; runs on the events thread. */
    private void sampleLogs() {
        for (RuncPod pod : pods.all()) {
            for (ContainerPlan c : pod.plan.all()) {
                try {
                    logRotator.sample(pod.layout.logFile(c.name()));
                } catch (IOException | RuntimeException e) {
                    log.debug("pod {}: cannot sample the log of '{}': {}", pod.podId, c.name(), e.toString());
                }
            }
        }
    }

    /** The container's last sample, after which its log is no longer sampled. */
    void sampleFinal(RuncPod pod, ContainerPlan c) {
        try {
            logRotator.sample(pod.layout.logFile(c.name()));
        } catch (IOException e) {
            log.debug("pod {}: cannot sample the log of '{}': {}", pod.podId, c.name(), e.toString());
        }
        logRotator.forget(pod.layout.logFile(c.name()));
    }
}
