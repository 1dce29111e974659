package io.farget.placement.scoring;

import io.farget.placement.engine.EngineConfig;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.engine.Weighted;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The named placement strategies: the default and the baselines the benchmarks compare it with.
 * {@code profile} is the expected GPU workload for the fragmentation-aware ones (null: learn it
 * from the pods each pass sees).
 */
public final class Strategies {
    public static final String DEFAULT = "farget";
    /** Feasible hosts scored per pod by default: bounded so a decision does not grow with the cluster. */
    public static final int DEFAULT_CANDIDATES = 64;
    /*
     * The default's weights. Fragmentation (0..1, 0.5 = no change; 0.03 is about 500 milli-GPU of
     * fragmentation growth) leads. Balance on GPU hosts outweighs small fragmentation differences:
     * hosts whose CPU runs out before their GPUs strand them, and in the trace experiment most pods
     * that fail are GPU pods refused for CPU on hosts with free GPUs. Weights from 0.01 to 0.1 gave
     * the same packing on the trace and on variants of it (more CPU per pod, smaller hosts, coarser
     * shares, CPU-only hosts added); 0.03 sits in the middle. Most-allocated only settles what is
     * left, chiefly on hosts without GPUs, where the other two are flat: there it packs.
     */
    static final double GPU_BALANCE_WEIGHT = 0.03;
    static final double PACKING_WEIGHT = 0.003;

    private record Spec(String description, Function<Context, List<Weighted>> scorers) {}

    private record Context(long seed, WorkloadProfile profile) {}

    private static final Map<String, Spec> SPECS = new TreeMap<>(Map.of(
            DEFAULT, new Spec("bin-pack with GPU fragmentation awareness (fragmentation gradient, then GPU hosts kept in balance, then most-allocated)",
                    c -> List.of(new Weighted(new FragmentationScorer(c.profile()), 1.0),
                            new Weighted(new GpuBalanceScorer(), GPU_BALANCE_WEIGHT),
                            new Weighted(new MostAllocatedScorer(), PACKING_WEIGHT))),
            "random", new Spec("a random feasible host", c -> List.of(new Weighted(new RandomScorer(c.seed()), 1.0))),
            "best-fit", new Spec("least CPU+GPU left (the FGD paper's best-fit baseline)",
                    c -> List.of(new Weighted(new BestFitScorer(), 1.0))),
            "most-allocated", new Spec("Kubernetes MostAllocated", c -> List.of(new Weighted(new MostAllocatedScorer(), 1.0))),
            "fgd", new Spec("fragmentation gradient descent (Weng et al., ATC '23)",
                    c -> List.of(new Weighted(new FragmentationScorer(c.profile()), 1.0))),
            "spread", new Spec("Kubernetes LeastAllocated", c -> List.of(new Weighted(new LeastAllocatedScorer(), 1.0))),
            "balanced", new Spec("even use of every dimension",
                    c -> List.of(new Weighted(new BalancedScorer(), 1.0), new Weighted(new MostAllocatedScorer(), 0.5)))));

    private Strategies() {}

    public static List<String> names() {
        return List.copyOf(SPECS.keySet());
    }

    public static String description(String name) {
        return spec(name).description();
    }

    /** The engine for {@code name}; {@code candidateLimit} 0 scores every feasible host. */
    public static EngineConfig config(String name, long seed, WorkloadProfile profile, int candidateLimit, boolean preemption) {
        return new EngineConfig(name, spec(name).scorers().apply(new Context(seed, profile)), seed, candidateLimit, preemption);
    }

    /** The scheduler's engine: the default strategy, learning its workload as it goes, with preemption. */
    public static ScoringEngine defaultEngine() {
        return new ScoringEngine(defaultConfig(0));
    }

    /** The configuration of {@link #defaultEngine()}, with a seed for its tie-breaks. */
    public static EngineConfig defaultConfig(long seed) {
        return config(DEFAULT, seed, null, DEFAULT_CANDIDATES, true);
    }

    private static Spec spec(String name) {
        Spec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown strategy " + name + "; known: " + String.join(", ", SPECS.keySet()));
        }
        return spec;
    }
}
