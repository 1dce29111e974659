package io.farget.bench.cluster;

import io.farget.common.PodBatches;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of the cluster benchmark.
 *
 * @param agents          hollow agents
 * @param pods            pods to submit
 * @param schedulers      scheduler replicas
 * @param clients         concurrent submitting clients
 * @param batch           pods per create call: 1 sends one CreatePod per pod, more one CreatePods per batch
 * @param rate            pods per second offered overall; 0: as fast as the clients go
 * @param killLeaderAt    percent of the pods acknowledged at which the leader is killed; negative: never
 * @param zk              a ZooKeeper ensemble to use, or null for an embedded one
 * @param traceNodes      a trace node list to take host sizes from, or null for the synthetic mix
 * @param inProcess       schedulers in this JVM (tests) instead of child processes
 * @param schedulerJavaOptions JVM options of scheduler child processes (e.g. -Xmx1g)
 * @param fleetThreads    threads of each shared pool of the hollow fleet
 * @param workDir         where data dirs go (a tmpfs is best)
 * @param scripts         what the fake pods do
 * @param warmup          pods submitted (the same way) and run before the measured ones, so the JVMs' JIT
 *                        compilers are done with the hot paths; they are not counted
 * @param timeline        a CSV file to write every pod's due, acknowledged and RUNNING times to, or null
 * @param jitSettleMax    the longest wait after the warm-up for the JIT compilers to go quiet
 * @param tracePods       a trace pod list to replay (its first {@code pods} arrivals) instead of the synthetic mix, or null
 * @param replaySpan      how long the replayed trace's arrivals are compressed into
 */
public record ClusterSettings(int agents, int pods, int schedulers, int clients, int batch, double rate, double killLeaderAt,
                              String zk, Path traceNodes, boolean inProcess, List<String> schedulerJavaOptions,
                              int fleetThreads, Path workDir, PodScripts scripts, int warmup, Path timeline,
                              Duration jitSettleMax, Path tracePods, Duration replaySpan) {

    public ClusterSettings {
        if (agents <= 0 || pods <= 0 || schedulers <= 0 || clients <= 0) {
            throw new IllegalArgumentException("agents, pods, schedulers and clients must be positive");
        }
        if (batch < 1 || batch > PodBatches.MAX_PODS) {
            throw new IllegalArgumentException("--batch must be 1 to " + PodBatches.MAX_PODS);
        }
        if (tracePods != null && (replaySpan.isNegative() || replaySpan.isZero())) {
            throw new IllegalArgumentException("--replay-over must be positive");
        }
        if (jitSettleMax.isNegative()) {
            throw new IllegalArgumentException("--jit-settle-max must not be negative");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (killLeaderAt >= 0 && schedulers < 2) {
            throw new IllegalArgumentException("--kill-leader-at needs --schedulers 2 or more");
        }
        schedulerJavaOptions = List.copyOf(schedulerJavaOptions);
    }

    /** Pods per create call unless told otherwise: one unit of leader work per call, far below the limit. */
    public static final int DEFAULT_BATCH = 100;

    /** How long a run waits at most for the JIT compilers after a warm-up unless told otherwise. */
    public static final Duration DEFAULT_JIT_SETTLE_MAX = Duration.ofSeconds(90);

    /** A small in-process run (tests). */
    public static ClusterSettings small(int agents, int pods, Path workDir) {
        return new ClusterSettings(agents, pods, 1, 8, DEFAULT_BATCH, 0, -1, null, null, true, List.of(), 2, workDir,
                PodScripts.runForever(), 0, null, Duration.ofSeconds(10), null, Duration.ofSeconds(60));
    }

    public ClusterSettings withSchedulers(int count, double killAt) {
        return new ClusterSettings(agents, pods, count, clients, batch, rate, killAt, zk, traceNodes, inProcess,
                schedulerJavaOptions, fleetThreads, workDir, scripts, warmup, timeline, jitSettleMax, tracePods, replaySpan);
    }

    public ClusterSettings withWarmup(int warmupPods, Path timelineFile) {
        return new ClusterSettings(agents, pods, schedulers, clients, batch, rate, killLeaderAt, zk, traceNodes, inProcess,
                schedulerJavaOptions, fleetThreads, workDir, scripts, warmupPods, timelineFile, jitSettleMax, tracePods, replaySpan);
    }

    /** Replays the first {@code pods} arrivals of {@code podList} over {@code span} instead of the synthetic mix. */
    public ClusterSettings withReplay(Path podList, Duration span) {
        return new ClusterSettings(agents, pods, schedulers, clients, batch, rate, killLeaderAt, zk, traceNodes, inProcess,
                schedulerJavaOptions, fleetThreads, workDir, scripts, warmup, timeline, jitSettleMax, podList, span);
    }

    public ClusterSettings withHosts(Path nodeList) {
        return new ClusterSettings(agents, pods, schedulers, clients, batch, rate, killLeaderAt, zk, nodeList, inProcess,
                schedulerJavaOptions, fleetThreads, workDir, scripts, warmup, timeline, jitSettleMax, tracePods, replaySpan);
    }

    public ClusterSettings withBatch(int podsPerCall) {
        return new ClusterSettings(agents, pods, schedulers, clients, podsPerCall, rate, killLeaderAt, zk, traceNodes, inProcess,
                schedulerJavaOptions, fleetThreads, workDir, scripts, warmup, timeline, jitSettleMax, tracePods, replaySpan);
    }
}
