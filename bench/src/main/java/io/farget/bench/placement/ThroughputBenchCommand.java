package io.farget.bench.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Plan;
import io.farget.placement.scoring.Strategies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farget bench throughput}: the placement engine alone, placements per second, next to Fenzo. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Placement engine throughput on trace-shaped hosts and pods (median of runs), next to Fenzo 0.13.8 in the same JVM. "
                + "Run with -XX:ActiveProcessorCount=1 (FARGET_JAVA_OPTS) to hold both to one core.")
public final class ThroughputBenchCommand implements Callable<Integer> {
    @Option(names = "--hosts", defaultValue = "5000", description = "Hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--pods", defaultValue = "100000", description = "Pods (default ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--runs", defaultValue = "5", description = "Runs; the median counts (default ${DEFAULT-VALUE}).")
    int runs;

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
        double[] rates = new double[runs];
        long placed = 0;
        Plan last = null;
        for (int r = 0; r < runs; r++) {
            long started = System.nanoTime();
            last = engine.place(snapshot, workload.pods());
            long nanos = System.nanoTime() - started;
            rates[r] = workload.pods().size() / (nanos / 1e9);
        }
        placed = last.assignments().size();
        Arrays.sort(rates);
        double rate = rates[runs / 2];
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hosts", hosts);
        out.put("pods", pods);
        out.put("placed", placed);
        out.put("placementsPerSecond", Math.round(rate));
        if ("fenzo".equals(baseline)) {
            int count = baselinePods == 0 ? pods : Math.min(baselinePods, pods);
            long[] fenzo = FenzoBaseline.run(workload, count);
            double baselineRate = count / (fenzo[1] / 1e9);
            out.put("baselinePods", count);
            out.put("baselinePlaced", fenzo[0]);
            out.put("baselinePlacementsPerSecond", Math.round(baselineRate));
            out.put("ratio", Math.round(rate / baselineRate * 10) / 10.0);
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
