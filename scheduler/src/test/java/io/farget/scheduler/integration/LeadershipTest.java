package io.farget.scheduler.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.GrpcErrors;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.state.ZkLayout;
import io.farget.scheduler.support.TestAgent;
import io.farget.scheduler.support.Zk;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leadership moving between replicas, a leader cut off from ZooKeeper, chroots and node liveness. */
class LeadershipTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private TestingServer zk;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = Zk.startServer();
    }

    @AfterEach
    void cleanUp() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Zk.closeQuietly(toClose.get(i));
        }
        Zk.closeQuietly(zk);
    }

    private SchedulerServer start(SchedulerConfig config) throws Exception {
        SchedulerServer server = SchedulerServer.start(config);
        toClose.add(server);
        return server;
    }

    private SchedulerConfig config() {
        return SchedulerConfig.defaults(zk.getConnectString()).withPort(0);
    }

    private ManagedChannel channelTo(SchedulerServer server) {
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
        toClose.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    private static CreatePodRequest request(String name) {
        return CreatePodRequest.newBuilder().setSpec(PodSpec.newBuilder().setName(name).addContainers(ContainerSpec.newBuilder()
                .setName("main").addCommand("true").setResources(Resources.newBuilder().setCpuMillis(100).setMemoryBytes(64L << 20)))).build();
    }

    @Test
    void theStandbyTakesOverWithNothingLost() throws Exception {
        SchedulerServer first = start(config());
        first.awaitLeadership(WAIT);
        SchedulerServer second = start(config());
        Pod pod = PodServiceGrpc.newBlockingStub(channelTo(first)).createPod(request("survivor"));
        long firstEpoch = first.epoch();

        first.close();
        second.awaitLeadership(WAIT);

        assertThat(second.epoch()).isGreaterThan(firstEpoch);
        Pod again = PodServiceGrpc.newBlockingStub(channelTo(second)).getPod(GetPodRequest.newBuilder().setPodId(pod.getId()).build());
        assertThat(again.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        try (CuratorFramework client = Zk.client(zk)) {
            assertThat(new String(client.getData().forPath(ZkLayout.LEADER), StandardCharsets.UTF_8)).isEqualTo(second.address());
        }
    }

    @Test
    void aLeaderCutOffFromZooKeeperStopsActingAtOnceAndLeadsAgainLater() throws Exception {
        SchedulerServer leader = start(config().withZkSessionTimeout(Duration.ofSeconds(4)));
        leader.awaitLeadership(WAIT);
        long epoch = leader.epoch();
        TestAgent agent = TestAgent.register(leader.address(), "node-1", 1000, 1L << 30);
        toClose.add(agent);
        agent.awaitRegistered();

        zk.stop();

        await().atMost(WAIT).until(() -> !leader.isLeader());
        StatusRuntimeException streamEnd = agent.awaitRefusal();
        assertThat(streamEnd.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> PodServiceGrpc.newBlockingStub(channelTo(leader)).withDeadlineAfter(10, TimeUnit.SECONDS).createPod(request("late")));
        assertThat(refused.getStatus().getCode()).as("no replica can lead without ZooKeeper: nobody to redirect to")
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription()).startsWith("ZooKeeper unavailable: ");
        var status = io.farget.proto.v1.ClusterServiceGrpc.newBlockingStub(channelTo(leader)).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(io.farget.proto.v1.GetStatusRequest.getDefaultInstance());
        assertThat(status.getZookeeper()).startsWith("not connected");

        zk.restart();
        leader.awaitLeadership(WAIT);
        assertThat(leader.epoch()).isGreaterThan(epoch);
    }

    @Test
    void aChrootInTheConnectStringKeepsEverythingUnderIt() throws Exception {
        SchedulerServer leader = start(SchedulerConfig.defaults(zk.getConnectString() + "/test1").withPort(0));
        leader.awaitLeadership(WAIT);

        try (CuratorFramework client = Zk.client(zk)) {
            assertThat(new String(client.getData().forPath("/test1" + ZkLayout.LEADER), StandardCharsets.UTF_8)).isEqualTo(leader.address());
            assertThat(client.checkExists().forPath(ZkLayout.LEADER)).isNull();
            assertThat(client.getChildren().forPath("/test1" + ZkLayout.SCHEDULERS)).containsExactly(leader.address());
        }
    }

    @Test
    void aSilentNodeGoesNotReadyAndAHeartbeatBringsItBack() throws Exception {
        SchedulerServer leader = start(config().withNodeNotReadyAfter(Duration.ofMillis(400)));
        leader.awaitLeadership(WAIT);
        TestAgent agent = TestAgent.register(leader.address(), "quiet", 1000, 1L << 30);
        toClose.add(agent);
        agent.awaitRegistered();
        var nodes = NodeServiceGrpc.newBlockingStub(channelTo(leader));

        await().atMost(WAIT).untilAsserted(() -> assertThat(nodes.listNodes(ListNodesRequest.getDefaultInstance())
                .getNodes(0).getState()).isEqualTo(NodeState.NODE_STATE_NOT_READY));
        agent.heartbeat();
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodes.listNodes(ListNodesRequest.getDefaultInstance())
                .getNodes(0).getState()).isEqualTo(NodeState.NODE_STATE_READY));
        assertThat(GrpcErrors.LEADER_KEY.name()).isEqualTo("farget-leader");
    }
}
