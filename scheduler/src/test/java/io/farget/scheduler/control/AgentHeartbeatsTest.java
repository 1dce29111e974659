package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.metering.LedgerStore;
import io.farget.scheduler.metering.Metering;
import io.farget.scheduler.metering.MeteringSettings;
import io.farget.scheduler.node.HeartbeatPacing;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.state.FencedWriter;
import io.farget.scheduler.support.Zk;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Heartbeats and a busy leader loop: a live node's heartbeat counts when it arrives, so a loop
 * behind on a burst of reports does not take live nodes for silent; a silent node is brought back
 * on the loop.
 */
class AgentHeartbeatsTest {
    private static final Duration NOT_READY_AFTER = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = MutableClock.of(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final LoopHold hold = new LoopHold(WAIT);
    private TestingServer server;
    private CuratorFramework client;
    private ClusterState state;
    private ClusterWriter writer;
    private NodeRegistry nodes;
    private LeaderLoop loop;
    private Metering metering;
    private AgentEvents events;

    @BeforeEach
    void start() throws Exception {
        server = Zk.startServer();
        client = Zk.client(server);
        FencedWriter fence = EpochFence.takeNextEpoch(client, "test:1");
        writer = new ClusterWriter(client, fence);
        state = new ClusterState(List.of(), List.of());
        nodes = new NodeRegistry(state, writer, clock, NOT_READY_AFTER,
                new HeartbeatPacing(Duration.ofSeconds(2), HeartbeatPacing.DEFAULT_MAX_PER_SECOND));
        loop = new LeaderLoop(1, () -> { });
        NodeConnections connections = new NodeConnections();
        PlacementTrigger placement = new PlacementTrigger(loop);
        metering = Metering.takeOver(new LedgerStore(client), fence, MeteringSettings.defaults(), List.of(), id -> Arch.ARCH_X86_64);
        events = new AgentEvents(loop, state, nodes, connections, new PodStateMachine(clock),
                new PodCommitter(state, writer, connections, placement), placement, new LogRelay(state, connections),
                metering, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        hold.release();
        Zk.closeQuietly(loop, metering, client, server);
    }

    @Test
    void aLiveNodesHeartbeatCountsWhileTheLoopIsBusy() throws Exception {
        Node node = node("n1", NodeState.NODE_STATE_READY);
        hold.hold(loop);

        clock.add(Duration.ofSeconds(9));
        events.heartbeat("n1");
        clock.add(Duration.ofSeconds(9)); // 18 s after the last heartbeat stored, 9 s after this one

        assertThat(state.lastHeartbeat(node)).contains(clock.instant().minusSeconds(9));
        assertThat(nodes.markSilentNodes()).isEmpty();
        assertThat(state.node("n1").orElseThrow().getState()).isEqualTo(NodeState.NODE_STATE_READY);
    }

    @Test
    void aSilentNodesHeartbeatBringsItBackOnTheLoop() throws Exception {
        Node node = node("n1", NodeState.NODE_STATE_NOT_READY);
        hold.hold(loop);
        clock.add(Duration.ofSeconds(30));

        events.heartbeat("n1");
        assertThat(state.lastHeartbeat(node)).as("not noted before the loop gets to it")
                .contains(clock.instant().minusSeconds(30));

        hold.release();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(state.node("n1").orElseThrow().getState()).isEqualTo(NodeState.NODE_STATE_READY));
        assertThat(state.lastHeartbeat(state.node("n1").orElseThrow())).contains(clock.instant());
    }

    private Node node(String id, NodeState nodeState) {
        Node node = Node.newBuilder().setId(id).setState(nodeState)
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(1L << 33))
                .setLastHeartbeatAt(Timestamps.of(clock.instant())).build();
        writer.saveNodes(List.of(node), Set.of());
        state.putNode(node);
        return node;
    }
}
