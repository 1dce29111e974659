package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node sets the periodic checks read instead of scanning the fleet. */
class ClusterStateNodeIndexTest {
    private static Node node(String id, NodeState state, boolean draining) {
        return Node.newBuilder().setId(id).setState(state).setDraining(draining).build();
    }

    @Test
    void storedNodesAreIndexedByWhatTheChecksLookFor() {
        ClusterState state = new ClusterState(List.of(), List.of(
                node("ready", NodeState.NODE_STATE_READY, false),
                node("silent", NodeState.NODE_STATE_NOT_READY, false),
                node("drained", NodeState.NODE_STATE_DRAINING, true)));

        assertThat(state.nodeCount()).isEqualTo(3);
        assertThat(state.nodesView()).extracting(Node::getId).containsExactlyInAnyOrder("ready", "silent", "drained");
        assertThat(state.notReadyNodes()).extracting(Node::getId).containsExactly("silent");
        assertThat(state.drainingNodes()).extracting(Node::getId).containsExactly("drained");
    }

    @Test
    void theIndexesFollowEveryChangeOfANode() {
        ClusterState state = new ClusterState(List.of(), List.of());
        state.putNode(node("n1", NodeState.NODE_STATE_READY, false));
        assertThat(state.notReadyNodes()).isEmpty();

        state.putNode(node("n1", NodeState.NODE_STATE_NOT_READY, true)); // silent while draining
        assertThat(state.notReadyNodes()).extracting(Node::getId).containsExactly("n1");
        assertThat(state.drainingNodes()).extracting(Node::getId).containsExactly("n1");

        state.putNode(node("n1", NodeState.NODE_STATE_READY, false)); // back, uncordoned
        assertThat(state.notReadyNodes()).isEmpty();
        assertThat(state.drainingNodes()).isEmpty();
        assertThat(state.nodeCount()).isEqualTo(1);
    }
}
