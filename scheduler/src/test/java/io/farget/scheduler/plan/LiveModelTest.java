package io.farget.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.FargetException;
import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.Condition;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Plan;
import io.farget.placement.scoring.Strategies;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.node.AgentChannel;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.state.ClusterState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kept model must always equal one built afresh from the state it follows. */
class LiveModelTest {
    private static final long CPU = 4_000;
    private static final long MEMORY = 8L << 30;

    private final ClusterState state = new ClusterState(List.of(), List.of());
    private final NodeConnections connections = new NodeConnections();
    private final ScoringEngine engine = Strategies.defaultEngine();
    private LiveModel live;

    @BeforeEach
    void nodes() {
        for (String id : List.of("n1", "n2")) {
            state.putNode(node(id, NodeState.NODE_STATE_READY));
            connections.attach(id, new AgentChannel() {
                @Override
                public void send(SchedulerMessage.Builder message) {}

                @Override
                public void close(FargetException why) {}
            });
        }
        live = new LiveModel(state, connections, engine);
        state.addListener(live);
    }

    @Test
    void followsPodsPlacedFinishedAndMovedWithoutRebuilding() {
        ClusterModel kept = live.current();
        state.putPod(pod("a", "n1", PodPhase.POD_PHASE_RUNNING, 1_000));
        state.putPod(pod("b", "n2", PodPhase.POD_PHASE_SCHEDULED, 500));
        state.putPod(pod("c", "n1", PodPhase.POD_PHASE_RUNNING, 250));
        state.putPod(pod("a", "n1", PodPhase.POD_PHASE_SUCCEEDED, 1_000));
        state.putPod(pod("b", "", PodPhase.POD_PHASE_PENDING, 500));
        state.putPod(pod("b", "n1", PodPhase.POD_PHASE_SCHEDULED, 500));

        assertThat(live.current()).isSameAs(kept);
        assertThat(free(kept)).isEqualTo(free(rebuilt())).containsEntry("n1", CPU - 750).containsEntry("n2", CPU);
    }

    @Test
    void planLeavesTheModelAsCommitted() {
        state.putPod(pod("a", "n1", PodPhase.POD_PHASE_RUNNING, 1_000));
        Map<String, Long> before = free(live.current());

        Plan plan = live.plan(engine, List.of(pending("p1", 1_000), pending("p2", 2_000)));

        assertThat(plan.assignments()).hasSize(2);
        assertThat(free(live.current())).isEqualTo(before);
    }

    @Test
    void aNodeThatChangesItsShapeRebuildsTheModel() {
        ClusterModel kept = live.current();
        state.putNode(node("n1", NodeState.NODE_STATE_READY).toBuilder().setLastHeartbeatAt(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(42)).build());
        assertThat(live.current()).as("a heartbeat alone").isSameAs(kept);

        state.putNode(node("n1", NodeState.NODE_STATE_READY).toBuilder().putLabels("zone", "b").build());
        ClusterModel after = live.current();
        assertThat(after).isNotSameAs(kept);
        assertThat(after.host("n1").orElseThrow().labels()).containsEntry("zone", "b");
    }

    @Test
    void aNodeThatChangesOnlyItsConditionKeepsTheModelAndItsPods() {
        state.putPod(pod("a", "n1", PodPhase.POD_PHASE_RUNNING, 1_000));
        ClusterModel kept = live.current();

        state.putNode(node("n1", NodeState.NODE_STATE_DRAINING));
        assertThat(live.current()).isSameAs(kept);
        assertThat(kept.host("n1").map(Host::condition).orElseThrow()).isEqualTo(Condition.DRAINING);
        assertThat(kept.nodeOf("a")).contains("n1");
        assertThat(free(kept)).isEqualTo(free(rebuilt()));

        state.putNode(node("n1", NodeState.NODE_STATE_NOT_READY));
        assertThat(live.plan(engine, List.of(pending("p1", 500))).assignments())
                .extracting(Assignment::nodeId).containsExactly("n2");

        state.putNode(node("n1", NodeState.NODE_STATE_READY));
        assertThat(live.current()).isSameAs(kept);
        assertThat(kept.host("n1").map(Host::condition).orElseThrow()).isEqualTo(Condition.READY);
    }

    @Test
    void aNodeWhoseStreamClosedIsNotReadyForPlacementUntilItReconnects() {
        ClusterModel kept = live.current();
        AgentChannel channel = connections.channel("n2").orElseThrow();
        connections.detach("n2", channel);

        assertThat(live.current()).isSameAs(kept);
        assertThat(kept.host("n2").map(Host::condition).orElseThrow()).isEqualTo(Condition.NOT_READY);
        assertThat(live.plan(engine, List.of(pending("p1", 500), pending("p2", 500))).assignments())
                .extracting(Assignment::nodeId).containsOnly("n1");

        connections.attach("n2", channel);
        assertThat(live.current()).isSameAs(kept);
        assertThat(kept.host("n2").map(Host::condition).orElseThrow()).isEqualTo(Condition.READY);
    }

    @Test
    void aPodOnANodeItHasNotSeenRebuildsInsteadOfLosingIt() {
        ClusterModel kept = live.current();
        state.putNode(node("n3", NodeState.NODE_STATE_READY));
        state.putPod(pod("x", "n3", PodPhase.POD_PHASE_RUNNING, 1_000));

        ClusterModel after = live.current();
        assertThat(after).isNotSameAs(kept);
        assertThat(after.nodeOf("x")).contains("n3");
    }

    private ClusterModel rebuilt() {
        LiveModel fresh = new LiveModel(state, connections, engine);
        return fresh.current();
    }

    private static Map<String, Long> free(ClusterModel model) {
        return model.hosts().stream().collect(Collectors.toMap(Host::id, Host::freeCpuMillis, (a, b) -> a, TreeMap::new));
    }

    private static Node node(String id, NodeState nodeState) {
        return Node.newBuilder().setId(id).setArch(Arch.ARCH_X86_64).setState(nodeState)
                .setCapacity(Resources.newBuilder().setCpuMillis(CPU).setMemoryBytes(MEMORY)).build();
    }

    private static PodSpec spec(long cpu) {
        return PodSpec.newBuilder().setName("p").addContainers(ContainerSpec.newBuilder().setName("c")
                .setResources(Resources.newBuilder().setCpuMillis(cpu).setMemoryBytes(1L << 20))).build();
    }

    private static Pod pod(String id, String nodeId, PodPhase phase, long cpu) {
        return Pod.newBuilder().setId(id).setSpec(spec(cpu))
                .setStatus(PodStatus.newBuilder().setNodeId(nodeId).setPhase(phase)).build();
    }

    private static PendingPod pending(String id, long cpu) {
        return PlacementInputs.pod(id, spec(cpu));
    }
}
