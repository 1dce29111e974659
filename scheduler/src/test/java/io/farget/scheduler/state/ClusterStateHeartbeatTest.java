package io.farget.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Node;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateHeartbeatTest {
    private static final Instant REGISTERED = Instant.parse("2026-11-28T10:00:00Z");

    private final Node node = Node.newBuilder().setId("n1").setLastHeartbeatAt(Timestamps.of(REGISTERED)).build();
    private final ClusterState state = new ClusterState(List.of(), List.of(node));

    @Test
    void aHeartbeatIsSeenByLivenessAndReadsButLeavesTheStoredNodeAlone() {
        Instant later = REGISTERED.plusSeconds(7);
        state.heartbeat("n1", later);

        assertThat(state.lastHeartbeat(node)).contains(later);
        assertThat(state.withAllocation(node).getLastHeartbeatAt()).isEqualTo(Timestamps.of(later));
        assertThat(state.node("n1")).contains(node); // no Node rebuilt: placement sees no change
    }

    @Test
    void aNewerStoredRecordWinsOverAnOlderHeartbeat() {
        state.heartbeat("n1", REGISTERED.minusSeconds(30));
        assertThat(state.lastHeartbeat(node)).contains(REGISTERED);

        Node silent = Node.newBuilder().setId("n2").build();
        assertThat(state.lastHeartbeat(silent)).isEmpty();
    }

    @Test
    void theMillisTheLivenessScanReadsAgreeWithTheInstant() {
        assertThat(state.lastHeartbeatMillis(node)).isEqualTo(REGISTERED.toEpochMilli());
        state.heartbeat("n1", REGISTERED.plusMillis(1_500));
        assertThat(state.lastHeartbeatMillis(node)).isEqualTo(REGISTERED.plusMillis(1_500).toEpochMilli());
        assertThat(state.lastHeartbeatMillis(Node.newBuilder().setId("n2").build())).isEqualTo(ClusterState.NEVER);
    }

    @Test
    void heartbeatsNeverGoBackwards() {
        state.heartbeat("n1", REGISTERED.plusSeconds(10));
        state.heartbeat("n1", REGISTERED.plusSeconds(5)); // delivered late
        assertThat(state.lastHeartbeat(node)).contains(REGISTERED.plusSeconds(10));
    }
}
