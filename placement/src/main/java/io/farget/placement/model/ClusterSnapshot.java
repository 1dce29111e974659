package io.farget.placement.model;

import java.util.List;

/** A read-only picture of the nodes at one moment; placement never sees anything else. */
public record ClusterSnapshot(List<NodeView> nodes) {
    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
    }
}
