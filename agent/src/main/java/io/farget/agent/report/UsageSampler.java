package io.farget.agent.report;

import io.farget.agent.task.PodSupervisor;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.UsageReport;
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
 * Samples every running pod's counters each interval, whether or not a leader listens (the sink
 * keeps what it cannot send). Runs on a shared timer; sampling, which reads cgroup files, runs on
 * the workers, and a round still running makes the next one skip rather than pile up.
 */
public final class UsageSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

    private final PodSupervisor pods;
    private final Executor workers;
    private final ReportSink sink;
    private final Duration every;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private final ScheduledFuture<?> rounds;

    private UsageSampler(ScheduledExecutorService timer, Executor workers, PodSupervisor pods, Duration every, ReportSink sink) {
        this.pods = pods;
        this.workers = workers;
        this.sink = sink;
        this.every = every;
        this.rounds = timer.scheduleWithFixedDelay(this::sampleOnWorker, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static UsageSampler start(ScheduledExecutorService timer, Executor workers, PodSupervisor pods, Duration every, ReportSink sink) {
        return new UsageSampler(timer, workers, pods, every, sink);
    }

    public Duration every() {
        return every;
    }

    private void sampleOnWorker() {
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(this::sample);
        } catch (RejectedExecutionException e) {
            sampling.set(false);
        }
    }

    /** One round now (also used by tests and benchmarks). */
    public void sample() {
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
        rounds.cancel(false);
    }
}
