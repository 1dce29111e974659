package io.farget.scheduler.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.node.HeartbeatPacing;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.support.Zk;
import org.threeten.extra.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node failure and drain rules on a fake clock, stored through a real (fenced) ZooKeeper writer. */
class NodeFailuresTest {
    private static final Duration NOT_READY_AFTER = Duration.ofSeconds(10);
    private static final Duration LOST_AFTER = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.of(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private TestingServer server;
    private CuratorFramework client;
    private ClusterState state;
    private ClusterWriter writer;
    private NodeRegistry nodes;
    private PodCommitter committer;
    private PodStateMachine machine;
    private LeaderLoop loop;

    @BeforeEach
    void start() throws Exception {
        server = Zk.startServer();
        client = Zk.client(server);
        writer = new ClusterWriter(client, EpochFence.takeNextEpoch(client, "test:1"));
        state = new ClusterState(List.of(), List.of());
        nodes = new NodeRegistry(state, writer, clock, NOT_READY_AFTER, new HeartbeatPacing(Duration.ofSeconds(2), HeartbeatPacing.DEFAULT_MAX_PER_SECOND));
        machine = new PodStateMachine(clock);
        loop = new LeaderLoop(1, () -> { });
        committer = new PodCommitter(state, writer, new NodeConnections(), new PlacementTrigger(loop));
    }

    @AfterEach
    void stop() {
        Zk.closeQuietly(loop, client, server);
    }

    private NodeFailures failures(double fraction, int minimum) {
        return new NodeFailures(state, nodes, machine, committer, new RescheduleBudget(clock, fraction, minimum), clock,
                NOT_READY_AFTER, LOST_AFTER);
    }

    private void node(String id) {
        Node node = Node.newBuilder().setId(id).setState(NodeState.NODE_STATE_READY)
                .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(1L << 33))
                .setLastHeartbeatAt(Timestamps.of(clock.instant())).build();
        writer.saveNodes(List.of(node), java.util.Set.of());
        state.putNode(node);
    }

    private Pod running(String id, String nodeId, RestartPolicy restart) {
        Pod pod = Pod.newBuilder().setId(id).setDesired(DesiredState.DESIRED_STATE_RUN)
                .setSpec(PodSpec.newBuilder().setName(id).setRestart(restart)
                        .addContainers(ContainerSpec.newBuilder().setName("main").addCommand("true")
                                .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryBytes(1 << 20))))
                .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_RUNNING).setNodeId(nodeId).setAttempt(1)
                        .setCreatedAt(Timestamps.of(clock.instant())))
                .build();
        writer.createPod(pod);
        state.putPod(pod);
        return pod;
    }

    private PodStatus status(String id) {
        return state.pod(id).orElseThrow().getStatus();
    }

    @Test
    void aSilentNodeIsNotReadyAfterTheGraceAndItsPodsAreGivenUpAfterTheLostTimeout() {
        NodeFailures failures = failures(0.10, 10);
        node("n1");
        node("n2");
        running("keep", "n1", RestartPolicy.RESTART_POLICY_ALWAYS);
        running("once", "n1", RestartPolicy.RESTART_POLICY_NEVER);
        running("other", "n2", RestartPolicy.RESTART_POLICY_ALWAYS);

        clock.add(NOT_READY_AFTER.plusSeconds(1));
        nodes.heartbeat("n2");
        failures.check();
        assertThat(state.node("n1").orElseThrow().getState()).isEqualTo(NodeState.NODE_STATE_NOT_READY);
        assertThat(status("keep").getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);

        clock.add(LOST_AFTER);
        nodes.heartbeat("n2");
        failures.check();
        assertThat(status("keep").getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(status("keep").getNodeId()).isEmpty();
        assertThat(status("keep").getReason()).contains("node n1 was lost");
        assertThat(status("once").getPhase()).isEqualTo(PodPhase.POD_PHASE_LOST);
        assertThat(status("other").getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
        // stored, not only in memory
        assertThat(new ClusterReader(client).readPod("keep")).get().extracting(p -> p.getStatus().getPhase())
                .isEqualTo(PodPhase.POD_PHASE_PENDING);
    }

    @Test
    void massNodeLossIsRescheduledAtTheBudgetsPace() {
        NodeFailures failures = failures(0.10, 1);
        node("lost");
        node("alive");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(running(String.format("lost%03d", i), "lost", RestartPolicy.RESTART_POLICY_ON_FAILURE).getId());
            running(String.format("alive%03d", i), "alive", RestartPolicy.RESTART_POLICY_ALWAYS);
        }
        clock.add(NOT_READY_AFTER.plus(LOST_AFTER).plusSeconds(1));
        nodes.heartbeat("alive");
        failures.check();
        long pending = ids.stream().filter(id -> status(id).getPhase() == PodPhase.POD_PHASE_PENDING).count();
        assertThat(pending).isEqualTo(10); // 10 % of the fleet's 100 active pods

        clock.add(Duration.ofSeconds(30)); // half a minute: half a budget more
        nodes.heartbeat("alive");
        failures.check();
        pending = ids.stream().filter(id -> status(id).getPhase() == PodPhase.POD_PHASE_PENDING).count();
        assertThat(pending).isBetween(14L, 15L); // 4-5 more: 10 % of the (now 90) active pods per minute
    }

    @Test
    void aNewLeaderCountsSilenceFromItsOwnStart() {
        node("n1");
        running("p", "n1", RestartPolicy.RESTART_POLICY_ALWAYS);
        clock.add(Duration.ofHours(1)); // the stored heartbeat is an hour old
        nodes.markAllNotReady();
        NodeFailures failures = failures(0.10, 10);
        failures.check();
        assertThat(status("p").getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);

        clock.add(NOT_READY_AFTER.plus(LOST_AFTER).plusSeconds(1));
        failures.check();
        assertThat(status("p").getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
    }

    @Test
    void drainMovesRestartablePodsLetsTheOthersRunAndUncordonEndsIt() {
        NodeDrains drains = new NodeDrains(state, machine, committer, clock);
        node("n1");
        running("web", "n1", RestartPolicy.RESTART_POLICY_ALWAYS);
        running("batch", "n1", RestartPolicy.RESTART_POLICY_NEVER);

        Node drained = nodes.drain("n1", clock.instant().plusSeconds(60));
        drains.check();
        assertThat(drained.getState()).isEqualTo(NodeState.NODE_STATE_DRAINING);
        assertThat(drained.getCordoned()).isTrue();
        assertThat(status("web").getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(status("batch").getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
        assertThat(nodes.drain("n1", clock.instant().plusSeconds(999)).getDrainDeadline())
                .isEqualTo(drained.getDrainDeadline()); // a retry changes nothing

        // the node's state survives its agent's re-registration and heartbeats
        nodes.heartbeat("n1");
        assertThat(state.node("n1").orElseThrow().getState()).isEqualTo(NodeState.NODE_STATE_DRAINING);
        assertThat(new ClusterReader(client).loadNodes()).singleElement()
                .satisfies(n -> assertThat(n.getDraining()).isTrue());

        Node uncordoned = nodes.cordon("n1", false);
        assertThat(uncordoned.getState()).isEqualTo(NodeState.NODE_STATE_READY);
        assertThat(uncordoned.getDraining()).isFalse();
        assertThat(uncordoned.getCordoned()).isFalse();
    }

    @Test
    void aDrainWaitsForAnUnreachableNodeSoItsPodsNeverRunTwice() {
        NodeDrains drains = new NodeDrains(state, machine, committer, clock);
        node("n1");
        running("web", "n1", RestartPolicy.RESTART_POLICY_ALWAYS);
        nodes.disconnected("n1"); // its stream broke: a stop could not reach it

        nodes.drain("n1", null);
        drains.check();
        assertThat(status("web").getPhase()).as("still where its agent may run it").isEqualTo(PodPhase.POD_PHASE_RUNNING);

        nodes.heartbeat("n1"); // back, on a stream the stop can take
        assertThat(state.node("n1").orElseThrow().getState()).isEqualTo(NodeState.NODE_STATE_DRAINING);
        drains.check();
        assertThat(status("web").getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(status("web").getReason()).contains("node n1 is draining");
    }
}
