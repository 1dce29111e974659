package io.farget.agent.report;

import io.farget.agent.task.PodSupervisor;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat to the leader, for the life of one registration: what the pods reserve, every
 * interval. Runs on a shared timer (no thread of its own). Usage has its own {@link UsageSampler},
 * which keeps sampling between registrations.
 */
public final class ReportLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportLoop.class);

    private final PodSupervisor pods;
    private final Clock clock;
    private final ReportSink sink;
    private final ScheduledFuture<?> heartbeats;

    private ReportLoop(ScheduledExecutorService timer, PodSupervisor pods, Clock clock, Duration heartbeatEvery, ReportSink sink) {
        this.pods = pods;
        this.clock = clock;
        this.sink = sink;
        this.heartbeats = timer.scheduleWithFixedDelay(this::heartbeat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static ReportLoop start(ScheduledExecutorService timer, PodSupervisor pods, Clock clock, Duration heartbeatEvery, ReportSink sink) {
        return new ReportLoop(timer, pods, clock, heartbeatEvery, sink);
    }

    private void heartbeat() {
        try {
            sink.heartbeat(Heartbeat.newBuilder().setAt(Timestamps.of(clock.instant())).setAllocated(pods.allocated()).build());
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed", e); // a periodic task that throws is never run again
        }
    }

    @Override
    public void close() {
        heartbeats.cancel(false);
    }
}
