package io.farget.scheduler.placement;

import java.util.List;

/**
 * Decides where pending pods go. A pure function of its inputs: no I/O, no clock, no shared state,
 * so it may be called from any thread and replaced freely.
 */
public interface PlacementEngine {
    /** Places {@code pods} in the order given, each seeing the nodes as the earlier ones left them. */
    Plan place(ClusterSnapshot snapshot, List<PendingPod> pods);
}
