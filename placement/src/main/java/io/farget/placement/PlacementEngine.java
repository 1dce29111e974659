package io.farget.placement;

import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.HostScore;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Plan;
import java.util.List;

/**
 * Decides where pending pods go. A pure function of its inputs: no I/O, no clock, no shared state,
 * so it may be called from any thread and replaced freely.
 */
public interface PlacementEngine {
    /**
     * Places {@code pods} in one pass, higher priority first and otherwise in the order given, each
     * seeing the nodes as the earlier ones left them.
     */
    Plan place(ClusterSnapshot snapshot, List<PendingPod> pods);

    /** Dry run for one pod: the best {@code limit} feasible hosts, best first, with each scorer's part. */
    List<HostScore> rank(ClusterSnapshot snapshot, PendingPod pod, int limit);
}
