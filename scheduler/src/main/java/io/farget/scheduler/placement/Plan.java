package io.farget.scheduler.placement;

import java.util.List;
import java.util.Map;

/**
 * The engine's answer for one batch: where each placed pod goes, and for every pod left unplaced,
 * why. The applier re-checks it against fresh state before committing anything.
 */
public record Plan(List<Assignment> assignments, Map<String, Explanation> unplaced) {
    public Plan {
        assignments = List.copyOf(assignments);
        unplaced = Map.copyOf(unplaced);
    }
}
