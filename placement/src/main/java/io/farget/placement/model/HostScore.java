package io.farget.placement.model;

import java.util.Map;

/** One feasible host for a dry run: its total score and each scorer's part (0..1 before weights). */
public record HostScore(String nodeId, double total, Map<String, Double> byScorer) {
    public HostScore {
        byScorer = Map.copyOf(byScorer);
    }
}
