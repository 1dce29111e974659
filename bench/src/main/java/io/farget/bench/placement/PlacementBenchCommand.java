package io.farget.bench.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.farget.placement.scoring.Strategies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farget bench placement}: packing quality on a node list and a pod list in the trace format. */
@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "The published fragmentation experiment (traces/README.md; Weng et al., ATC '23): "
                + "unallocated GPU %% at 100 %% and 130 %% arrived GPU demand, mean and sd over seeds.")
public final class PlacementBenchCommand implements Callable<Integer> {
    @Option(names = "--nodes", required = true, description = "Node list CSV (sn,cpu_milli,memory_mib,gpu,model).")
    Path nodes;

    @Option(names = "--pods", required = true, description = "Pod list CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec,...]).")
    Path pods;

    @Option(names = "--seeds", defaultValue = "10", description = "Seeds (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--strategy", defaultValue = Strategies.DEFAULT,
            description = "One of: ${COMPLETION-CANDIDATES}, or all (default ${DEFAULT-VALUE}).", completionCandidates = Names.class)
    String strategy;

    @Option(names = "--candidates", defaultValue = "0",
            description = "Feasible hosts the baselines score per pod; 0 scores all, as the paper does (default ${DEFAULT-VALUE}). "
                    + "The default strategy always runs as the scheduler runs it.")
    int candidates;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    static final class Names extends ArrayList<String> {
        Names() {
            super(Strategies.names());
        }
    }

    @Override
    public Integer call() throws Exception {
        FragmentationExperiment experiment = new FragmentationExperiment(TraceFiles.nodes(nodes), TraceFiles.pods(pods));
        List<String> names = strategy.equals("all") ? Strategies.names() : List.of(strategy);
        names.forEach(Strategies::description); // fail fast on an unknown name
        List<Map<String, Object>> results = new ArrayList<>();
        for (String name : names) {
            results.add(measure(experiment, name));
        }
        ObjectMapper json = new ObjectMapper();
        if (output.equals("json")) {
            System.out.println(json.writeValueAsString(results.size() == 1 ? results.get(0) : results));
        } else {
            System.out.printf("%-16s %6s %22s %22s %8s %8s %12s%n", "STRATEGY", "SEEDS", "UNALLOC GPU % @100%",
                    "UNALLOC GPU % @130%", "CPU %", "MEM %", "PLACE/S");
            for (Map<String, Object> r : results) {
                Stats s100 = (Stats) r.get("unallocatedGpuPct100");
                Stats s130 = (Stats) r.get("unallocatedGpuPct130");
                System.out.printf("%-16s %6d %13.2f ± %6.2f %13.2f ± %6.2f %8.1f %8.1f %12d%n", r.get("strategy"), seeds,
                        s100.mean(), s100.sd(), s130.mean(), s130.sd(), r.get("cpuAllocatedPct"), r.get("memoryAllocatedPct"),
                        r.get("placementsPerSecond"));
            }
            System.out.println("Data: Alibaba cluster-trace-gpu-v2023; experiment of Weng et al., \"Beware of Fragmentation\", USENIX ATC '23.");
        }
        return 0;
    }

    private Map<String, Object> measure(FragmentationExperiment experiment, String name) {
        double[] at100 = new double[seeds];
        double[] at130 = new double[seeds];
        double cpu = 0;
        double memory = 0;
        long placements = 0;
        long nanos = 0;
        for (int seed = 0; seed < seeds; seed++) {
            FragmentationExperiment.Result r = experiment.run(name, seed, candidates);
            at100[seed] = r.unallocatedGpuPct100();
            at130[seed] = r.unallocatedGpuPct130();
            cpu += r.cpuAllocatedPct();
            memory += r.memoryAllocatedPct();
            placements += r.placements();
            nanos += r.nanos();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("strategy", name);
        out.put("seeds", seeds);
        out.put("unallocatedGpuPct100", Stats.of(at100));
        out.put("unallocatedGpuPct130", Stats.of(at130));
        out.put("cpuAllocatedPct", Math.round(cpu / seeds * 100) / 100.0);
        out.put("memoryAllocatedPct", Math.round(memory / seeds * 100) / 100.0);
        out.put("placementsPerSecond", Math.round(placements / (nanos / 1e9)));
        return out;
    }
}
