package io.farget.agent.report;

import io.farget.agent.task.PodSupervisor;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Heartbeat;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.UsageReport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic part of talking to the leader, for the life of one registration: a heartbeat with
 * what the pods reserve, and a usage report with a fresh sample of every running pod. Runs on a
 * shared timer (no thread of its own); sampling, which may call the runtime, runs on the workers.
 */
public final class ReportLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportLoop.class);

    private final PodSupervisor pods;
    private final Executor workers;
    private final Clock clock;
    private final ReportSink sink;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private final ScheduledFuture<?> heartbeats;
    private final ScheduledFuture<?> usage;

    private ReportLoop(ScheduledExecutorService timer, Executor workers, PodSupervisor pods, Clock clock,
                       Duration heartbeatEvery, Duration usageEvery, ReportSink sink) {
        this.pods = pods;
        this.workers = workers;
        this.clock = clock;
        this.sink = sink;
        this.heartbeats = timer.scheduleWithFixedDelay(this::heartbeat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        this.usage = timer.scheduleWithFixedDelay(this::sampleOnWorker, usageEvery.toMillis(), usageEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static ReportLoop start(ScheduledExecutorService timer, Executor workers, PodSupervisor pods, Clock clock,
                                   Duration heartbeatEvery, Duration usageEvery, ReportSink sink) {
        return new ReportLoop(timer, workers, pods, clock, heartbeatEvery, usageEvery, sink);
    }

    private void heartbeat() {
        try {
            sink.heartbeat(Heartbeat.newBuilder().setAt(Timestamps.of(clock.instant())).setAllocated(pods.allocated()).build());
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed", e); // a periodic task that throws is never run again
        }
    }

    private void sampleOnWorker() {
        if (!sampling.compareAndSet(false, true)) {
            return; // the previous round is still running: skip rather than pile up
        }
        try {
            workers.execute(this::sample);
        } catch (RejectedExecutionException e) {
            sampling.set(false);
        }
    }

    private void sample() {
        try {
            List<PodUsageSample> samples = pods.sampleUsage();
            if (!samples.isEmpty()) {
                sink.usage(UsageReport.newBuilder().addAllSamples(samples).build());
            }
        } catch (RuntimeException e) {
            log.warn("Usage sampling failed", e);
        } finally {
            sampling.set(false);
        }
    }

    @Override
    public void close() {
        heartbeats.cancel(false);
        usage.cancel(false);
    }
}
