package io.farget.bench.placement;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.EngineConfig;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.PendingPod;
import io.farget.placement.scoring.Strategies;
import io.farget.placement.scoring.WorkloadProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The published fragmentation experiment (traces/README.md; Weng et al., ATC '23): empty cluster,
 * pods sorted by name and shuffled with a seed, then rows drawn with replacement until the arrived
 * GPU request passes 130 % of capacity; placed one at a time, no departures, failures not retried.
 * Records unallocated GPU % when arrivals reach 100 % and 130 % of capacity.
 */
public final class FragmentationExperiment {
    private final List<TraceNode> nodes;
    private final List<TracePod> pods;
    private final WorkloadProfile profile;

    public record Result(double unallocatedGpuPct100, double unallocatedGpuPct130, double cpuAllocatedPct,
                         double memoryAllocatedPct, long placements, long nanos) {}

    public FragmentationExperiment(List<TraceNode> nodes, List<TracePod> pods) {
        this.nodes = List.copyOf(nodes);
        this.pods = pods.stream().sorted(Comparator.comparing(TracePod::name)).toList();
        // The expected workload, as the paper gives FGD: the pod list's own mix of GPU pods.
        this.profile = WorkloadProfile.of(this.pods.stream().map(p -> TraceModel.pod(p.name(), p, Architecture.ANY)).toList());
    }

    /** The pod list's own mix of GPU pods: the expected workload, as the paper gives FGD. */
    public WorkloadProfile profile() {
        return profile;
    }

    /**
     * The experiment for one seed. The default strategy runs exactly as the scheduler runs it (its
     * own candidate limit, learning the workload from the pods it is given); the baselines get the
     * pod list's mix and score {@code candidateLimit} hosts (0: all, as the paper does).
     */
    public Result run(String strategy, long seed, int candidateLimit) {
        if (strategy.equals(Strategies.DEFAULT)) {
            return run(Strategies.defaultConfig(seed), seed);
        }
        return run(Strategies.config(strategy, seed, profile, candidateLimit, false), seed);
    }

    /** The experiment for one seed with any engine configuration (its own seed is replaced by {@code seed}). */
    public Result run(EngineConfig engine, long seed) {
        long gpuCapacity = nodes.stream().mapToLong(n -> n.gpus() * 1000L).sum();
        long cpuCapacity = nodes.stream().mapToLong(TraceNode::cpuMillis).sum();
        long memoryCapacity = nodes.stream().mapToLong(TraceNode::memoryMib).sum();
        List<TracePod> arrivals = arrivals(seed, gpuCapacity);
        List<PendingPod> batch = new ArrayList<>(arrivals.size());
        for (int i = 0; i < arrivals.size(); i++) {
            batch.add(TraceModel.pod(i + ":" + arrivals.get(i).name(), arrivals.get(i), Architecture.ANY));
        }
        ClusterModel model = new ClusterModel(new ClusterSnapshot(nodes.stream()
                .map(n -> TraceModel.node(n, Architecture.X86_64, Map.of())).toList()), seed);
        EngineConfig config = engine.withSeed(seed);
        Recorder recorder = new Recorder(gpuCapacity);
        long started = System.nanoTime();
        new ScoringEngine(config).place(model, batch, recorder);
        long nanos = System.nanoTime() - started;
        long cpu = 0;
        long memory = 0;
        for (Host host : model.hosts()) {
            cpu += host.capacity().cpuMillis() - host.freeCpuMillis();
            memory += host.capacity().memoryBytes() - host.freeMemoryBytes();
        }
        return new Result(recorder.at100, recorder.at130 < 0 ? recorder.unallocated() : recorder.at130,
                pct(cpu, cpuCapacity), pct(memory, memoryCapacity * (1L << 20)), recorder.placed, nanos);
    }

    /** Step 2 of the experiment: every row shuffled, then draws with replacement up to 130 % of GPU capacity. */
    List<TracePod> arrivals(long seed, long gpuCapacity) {
        Random random = new Random(seed);
        List<TracePod> out = new ArrayList<>(pods);
        Collections.shuffle(out, random);
        long arrived = out.stream().mapToLong(TracePod::gpuRequestMilli).sum();
        long limit = gpuCapacity * 13 / 10;
        while (arrived < limit && !pods.isEmpty()) {
            TracePod extra = pods.get(random.nextInt(pods.size()));
            if (arrived + extra.gpuRequestMilli() > limit) {
                break;
            }
            out.add(extra);
            arrived += extra.gpuRequestMilli();
        }
        return out;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    /** Follows arrivals and allocations pod by pod, noting the two moments the metric is read. */
    private static final class Recorder implements ScoringEngine.Decisions {
        private final long capacity;
        private long arrived;
        private long allocated;
        long placed;
        double at100 = -1;
        double at130 = -1;

        Recorder(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public void placed(PendingPod pod, Host host) {
            allocated += pod.gpu().totalMilli();
            placed++;
            arrive(pod);
        }

        @Override
        public void unplaced(PendingPod pod) {
            arrive(pod);
        }

        private void arrive(PendingPod pod) {
            arrived += pod.gpu().totalMilli();
            if (at100 < 0 && arrived >= capacity) {
                at100 = unallocated();
            }
            if (at130 < 0 && arrived * 10 >= capacity * 13) {
                at130 = unallocated();
            }
        }

        double unallocated() {
            return capacity == 0 ? 0 : 100.0 - 100.0 * allocated / capacity;
        }
    }
}
