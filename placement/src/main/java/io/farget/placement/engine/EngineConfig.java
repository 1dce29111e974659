package io.farget.placement.engine;

import java.util.List;

/**
 * How the engine decides.
 *
 * @param candidateLimit feasible hosts scored per pod, taken tightest first from the index; 0 scores every feasible host
 * @param preemption     whether a pod that fits nowhere may evict lower-priority pods
 */
public record EngineConfig(String name, List<Weighted> scorers, long seed, int candidateLimit, boolean preemption) {
    public EngineConfig {
        scorers = List.copyOf(scorers);
        if (scorers.isEmpty()) {
            throw new IllegalArgumentException("at least one scorer");
        }
        if (candidateLimit < 0) {
            throw new IllegalArgumentException("candidateLimit must be >= 0");
        }
    }

    public EngineConfig withSeed(long newSeed) {
        return new EngineConfig(name, scorers, newSeed, candidateLimit, preemption);
    }

    public EngineConfig withCandidateLimit(int limit) {
        return new EngineConfig(name, scorers, seed, limit, preemption);
    }
}
