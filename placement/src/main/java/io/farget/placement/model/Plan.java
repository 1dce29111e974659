package io.farget.placement.model;

import java.util.List;
import java.util.Map;

/**
 * The engine's answer for one batch: where each placed pod goes, which pods to evict for
 * higher-priority ones, and for every pod left unplaced, why. The applier re-checks it against
 * fresh state before committing anything.
 */
public record Plan(List<Assignment> assignments, List<Eviction> evictions, Map<String, Explanation> unplaced) {
    public Plan {
        assignments = List.copyOf(assignments);
        evictions = List.copyOf(evictions);
        unplaced = Map.copyOf(unplaced);
    }

    public Plan(List<Assignment> assignments, Map<String, Explanation> unplaced) {
        this(assignments, List.of(), unplaced);
    }
}
