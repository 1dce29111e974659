package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/** A seeded random choice among feasible hosts: the baseline every policy should beat. */
public final class RandomScorer implements Scorer {
    private final long seed;

    public RandomScorer(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        long z = seed ^ (pod.id().hashCode() * 0x9E3779B97F4A7C15L) ^ (host.tiebreak() * 0xBF58476D1CE4E5B9L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
