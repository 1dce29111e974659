package io.farget.scheduler.control;

import io.farget.proto.v1.Node;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.scheduler.state.ClusterState;
import java.time.Clock;
import java.time.Duration;

/**
 * The leader's node commands from operators: cordon, uncordon, drain. Each runs on the leader loop
 * and sets a state, so a retried request changes nothing more.
 */
public final class NodeControl {
    private final LeaderLoop loop;
    private final ClusterState state;
    private final NodeRegistry nodes;
    private final NodeDrains drains;
    private final PlacementTrigger placement;
    private final Clock clock;

    public NodeControl(LeaderLoop loop, ClusterState state, NodeRegistry nodes, NodeDrains drains, PlacementTrigger placement,
                       Clock clock) {
        this.loop = loop;
        this.state = state;
        this.nodes = nodes;
        this.drains = drains;
        this.placement = placement;
        this.clock = clock;
    }

    public Node cordon(String nodeId) {
        return loop.call(() -> state.withAllocation(nodes.cordon(nodeId, true)));
    }

    public Node uncordon(String nodeId) {
        return loop.call(() -> {
            Node node = nodes.cordon(nodeId, false);
            placement.request();
            return state.withAllocation(node);
        });
    }

    /** Drains the node; {@code deadline} zero or negative: no deadline. */
    public Node drain(String nodeId, Duration deadline) {
        return loop.call(() -> {
            Node node = nodes.drain(nodeId, deadline.isZero() || deadline.isNegative() ? null : clock.instant().plus(deadline));
            drains.check();
            return state.withAllocation(node);
        });
    }
}
