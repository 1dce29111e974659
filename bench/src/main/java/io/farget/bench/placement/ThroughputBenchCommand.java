package io.farget.bench.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Placer;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.PendingPod;
import io.farget.placement.scoring.Strategies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farget bench throughput}: the placement engine alone, placements per second, next to Fenzo.
 * A placement is a pod actually placed: once the cluster is full, most pods fit nowhere and deciding
 * so is cheap, so those decisions get their own rate and never count as placements. The ratio to
 * Fenzo compares both engines on the same pods.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Placement engine throughput on trace-shaped hosts and pods (median of runs), next to Fenzo 0.13.8 in the same JVM: "
                + "placements per second count only pods actually placed; decisions that found no host have their own rate. "
                + "Run with -XX:ActiveProcessorCount=1 (FARGET_JAVA_OPTS) to hold both to one core.")
public final class ThroughputBenchCommand implements Callable<Integer> {
    @Option(names = "--hosts", defaultValue = "5000", description = "Hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--pods", defaultValue = "100000", description = "Pods (default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--runs", defaultValue = "5", description = "Runs; the median counts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Untimed passes over the pods before each measurement, so the JIT has compiled the engine (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "0",
            description = "Pods per placement pass, all passes on one model kept between them as the scheduler keeps it "
                    + "(0: every pod in one pass; default ${DEFAULT-VALUE}). Small batches measure what a pass costs beyond its pods.")
    int batch;

    @Option(names = "--baseline", description = "fenzo to run the baseline.")
    String baseline;

    @Option(names = "--baseline-pods", defaultValue = "0",
            description = "Pods Fenzo places (0: as many as --pods; Fenzo is slow, so fewer gives its rate sooner).")
    int baselinePods;

    @Option(names = "--traces", defaultValue = "${env:FARGET_TRACES:-../shared/traces}",
            description = "Folder with openb_node_list_gpu_node.csv and openb_pod_list_default.csv (default ${DEFAULT-VALUE}).")
    Path traces;

    @Option(names = "--measure-heap", description = "Also measure the heap held by a snapshot of --hosts hosts with --pods placed pods.")
    boolean measureHeap;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long round(double value) {
        return Math.round(value);
    }

    private static double ratio(double ours, double theirs) {
        return Math.round(ours / theirs * 10) / 10.0;
    }

    /** Several passes over the same pods, each from the same empty cluster; medians of each rate. */
    private record Runs(DecisionClock.PassTiming last, double placementsPerSecond, double fillPlacementsPerSecond,
                        double noFitDecisionsPerSecond, double decisionsPerSecond, double placementsPerCpuSecond) {}

    private Runs measure(ScoringEngine engine, ClusterSnapshot snapshot, List<PendingPod> toPlace) {
        double[] placed = new double[runs];
        double[] fill = new double[runs];
        double[] noFit = new double[runs];
        double[] decisions = new double[runs];
        double[] perCpu = new double[runs];
        DecisionClock.PassTiming timing = null;
        for (int w = 0; w < warmup; w++) {
            placeInPasses(engine, new ClusterModel(snapshot, engine.config().seed()), toPlace, null);
        }
        for (int r = 0; r < runs; r++) {
            long cpuStarted = CpuTime.processNanos();
            DecisionClock clock = new DecisionClock();
            placeInPasses(engine, new ClusterModel(snapshot, engine.config().seed()), toPlace, clock);
            timing = clock.stop();
            long cpuNanos = CpuTime.processNanos() - cpuStarted;
            placed[r] = timing.placementsPerSecond();
            fill[r] = timing.fillPlacementsPerSecond();
            noFit[r] = timing.noFitDecisionsPerSecond();
            decisions[r] = timing.decisionsPerSecond();
            // The whole pass's CPU (no-fit decisions, GC and JIT included) charged to the pods it placed.
            perCpu[r] = timing.placed() / (cpuNanos / 1e9);
        }
        return new Runs(timing, median(placed), median(fill), median(noFit), median(decisions), median(perCpu));
    }

    /**
     * Places {@code pods} on {@code model} in passes of {@link #batch} pods (all in one when 0), one
     * placer kept across the passes as the scheduler keeps one, one clock over them all.
     */
    private void placeInPasses(ScoringEngine engine, ClusterModel model, List<PendingPod> pods, DecisionClock clock) {
        int size = batch <= 0 ? pods.size() : batch;
        try (Placer placer = engine.placer(model)) {
            for (int from = 0; from < pods.size(); from += size) {
                placer.place(pods.subList(from, Math.min(pods.size(), from + size)), clock);
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Path nodesFile = traces.resolve("openb_node_list_gpu_node.csv");
        if (!Files.isReadable(nodesFile)) {
            System.err.println("no trace files under " + traces.toAbsolutePath() + " (use --traces DIR)");
            return 1;
        }
        ThroughputWorkload workload = ThroughputWorkload.of(TraceFiles.nodes(nodesFile),
                TraceFiles.pods(traces.resolve("openb_pod_list_default.csv")), hosts, pods);
        ClusterSnapshot snapshot = workload.snapshot();
        ScoringEngine engine = Strategies.defaultEngine();
        Runs all = measure(engine, snapshot, workload.pods());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hosts", hosts);
        out.put("pods", pods);
        out.put("batch", batch <= 0 ? pods : batch);
        out.put("placed", all.last().placed());
        out.put("noFit", all.last().noFit());
        // Only pods actually placed count as placements, over the time of the decisions that placed them.
        out.put("placementsPerSecond", round(all.placementsPerSecond()));
        out.put("fillPlacementsPerSecond", round(all.fillPlacementsPerSecond()));
        out.put("noFitDecisionsPerSecond", round(all.noFitDecisionsPerSecond()));
        out.put("decisionsPerSecond", round(all.decisionsPerSecond()));
        // Steadier than wall time on a busy machine.
        out.put("placementsPerCpuSecond", round(all.placementsPerCpuSecond()));
        if ("fenzo".equals(baseline)) {
            int count = baselinePods == 0 ? pods : Math.min(baselinePods, pods);
            // Both engines on the same first pods of an empty cluster, each counting only the pods it placed.
            Runs same = count == pods ? all : measure(engine, snapshot, workload.pods().subList(0, count));
            long cpuStarted = CpuTime.processNanos();
            long[] fenzo = FenzoBaseline.run(workload, count);
            double baselineRate = fenzo[0] / (fenzo[1] / 1e9);
            double baselineCpuRate = fenzo[0] / ((CpuTime.processNanos() - cpuStarted) / 1e9);
            out.put("baselinePods", count);
            out.put("baselinePlaced", fenzo[0]);
            out.put("baselinePlacementsPerSecond", round(baselineRate));
            out.put("baselinePlacementsPerCpuSecond", round(baselineCpuRate));
            out.put("placedOnBaselinePods", same.last().placed());
            out.put("placementsPerSecondOnBaselinePods", round(same.placementsPerSecond()));
            out.put("ratio", ratio(same.placementsPerSecond(), baselineRate));
            out.put("cpuRatio", ratio(same.placementsPerCpuSecond(), baselineCpuRate));
        }
        if (measureHeap) {
            // The pods placed by the snapshot share their strings with the workload, as a real scheduler's would.
            long[] heap = HeapMeasure.snapshotAndModel(workload, pods);
            out.put("snapshotHeapBytes", heap[0]);
            out.put("workingModelHeapBytes", heap[1]);
            out.put("heapMiB", Math.round((heap[0] + heap[1]) / 1048576.0 * 10) / 10.0);
        }
        if (output.equals("json")) {
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            out.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
        }
        return 0;
    }
}
