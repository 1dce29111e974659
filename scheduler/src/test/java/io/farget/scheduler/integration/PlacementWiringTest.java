package io.farget.scheduler.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.GpuInfo;
import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.ListNodesRequest;
import io.farget.proto.v1.ListPodsRequest;
import io.farget.proto.v1.NodeServiceGrpc;
import io.farget.proto.v1.PlanPodRequest;
import io.farget.proto.v1.PlanPodResponse;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.support.TestAgent;
import io.farget.scheduler.support.Zk;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The placement engine wired through the real scheduler: node labels and GPUs from Register,
 * selectors and GPU requests from the spec, preemption applied to the victims, and the PlanPod dry run.
 */
class PlacementWiringTest {
    private static final long GI = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestingServer zk;
    private SchedulerServer scheduler;
    private PodServiceGrpc.PodServiceBlockingStub pods;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zk = Zk.startServer();
        scheduler = SchedulerServer.start(SchedulerConfig.defaults(zk.getConnectString()).withPort(0));
        toClose.add(scheduler);
        scheduler.awaitLeadership(WAIT);
        ManagedChannel channel = Grpc.newChannelBuilder(scheduler.address(), InsecureChannelCredentials.create()).build();
        toClose.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        pods = PodServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        nodes = NodeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private NodeServiceGrpc.NodeServiceBlockingStub nodes;

    @AfterEach
    void stop() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Zk.closeQuietly(toClose.get(i));
        }
        Zk.closeQuietly(zk);
    }

    private TestAgent agent(String nodeId, long cpuMillis, UnaryOperator<Register.Builder> extra) {
        TestAgent agent = TestAgent.register(scheduler.address(), extra.apply(Register.newBuilder().setNodeId(nodeId)
                .setCapacity(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(4 * GI))));
        toClose.add(agent);
        agent.awaitRegistered();
        return agent;
    }

    private static PodSpec spec(String name, long cpuMillis, UnaryOperator<Resources.Builder> resources) {
        return PodSpec.newBuilder().setName(name).addContainers(ContainerSpec.newBuilder().setName("main").addCommand("true")
                .setResources(resources.apply(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(64L << 20)))).build();
    }

    private Pod create(PodSpec spec) {
        return pods.createPod(CreatePodRequest.newBuilder().setSpec(spec).build());
    }

    private Pod get(String id) {
        return pods.getPod(GetPodRequest.newBuilder().setPodId(id).build());
    }

    @Test
    void selectorsAndGpusSteerPodsToTheRightNode() {
        TestAgent plain = agent("node-a", 4000, r -> r.putLabels("zone", "a"));
        TestAgent gpu = agent("node-b", 4000, r -> r.putLabels("zone", "b")
                .setGpus(GpuInfo.newBuilder().setCount(2).setModel("T4")));
        assertThat(nodes.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList())
                .filteredOn(n -> n.getId().equals("node-b")).singleElement()
                .satisfies(n -> {
                    assertThat(n.getLabelsMap()).containsEntry("zone", "b");
                    assertThat(n.getGpus().getCount()).isEqualTo(2);
                });

        Pod zoned = create(spec("zoned", 100, r -> r).toBuilder().addNodeSelector(LabelSelector.newBuilder()
                .setKey("zone").setOperator(LabelSelector.Operator.OPERATOR_IN).addValues("b")).build());
        assertThat(gpu.awaitLaunch().getPodId()).isEqualTo(zoned.getId());

        Pod share = create(spec("share", 100, r -> r.setGpuMilli(500)).toBuilder().addGpuModels("T4").build());
        assertThat(gpu.awaitLaunch().getPodId()).isEqualTo(share.getId());
        assertThat(get(share.getId()).getStatus().getGpuDevicesList()).hasSize(1);

        Pod wrongModel = create(spec("wrong", 100, r -> r.setGpu(1)).toBuilder().addGpuModels("A100").build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(wrongModel.getId()).getStatus().getReason())
                .contains("no node could ever fit it").contains("wrong GPU model"));
        assertThat(plain.drain()).noneMatch(SchedulerMessage::hasLaunch);
    }

    @Test
    void aHigherPriorityPodPreemptsAndTheVictimGoesBackPerItsRestartPolicy() {
        TestAgent agent = agent("node-1", 1000, r -> r);
        Pod keeper = create(spec("keeper", 600, r -> r).toBuilder().setRestart(RestartPolicy.RESTART_POLICY_ALWAYS).build());
        LaunchPod first = agent.awaitLaunch();
        assertThat(first.getPodId()).isEqualTo(keeper.getId());
        agent.report(PodReport.newBuilder().setPodId(first.getPodId()).setAttempt(first.getAttempt()).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING).setStartedAt(Timestamps.of(Instant.now())));
        await().atMost(WAIT).until(() -> get(keeper.getId()).getStatus().getPhase() == PodPhase.POD_PHASE_RUNNING);

        Pod urgent = create(spec("urgent", 800, r -> r).toBuilder().setPriority(100).build());
        KillPod kill = agent.await(SchedulerMessage::hasKill, "KillPod").getKill();
        assertThat(kill.getPodId()).isEqualTo(keeper.getId());
        assertThat(kill.getReason()).isEqualTo("Preempted by " + urgent.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(urgent.getId());
        Pod victim = get(keeper.getId());
        assertThat(victim.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(get(urgent.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED);

        // A pod of equal or lower priority never preempts; one that may not restart ends FAILED.
        Pod peer = create(spec("peer", 800, r -> r).toBuilder().setPriority(100).build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(peer.getId()).getStatus().getReason()).contains("insufficient cpu"));
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList())
                .filteredOn(p -> p.getStatus().getPhase() == PodPhase.POD_PHASE_SCHEDULED).hasSize(1);
    }

    @Test
    void aVictimThatMayNotRestartEndsFailed() {
        TestAgent agent = agent("node-1", 1000, r -> r);
        Pod once = create(spec("once", 600, r -> r));
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(once.getId());
        Pod urgent = create(spec("urgent", 800, r -> r).toBuilder().setPriority(5).build());
        assertThat(agent.await(SchedulerMessage::hasKill, "KillPod").getKill().getPodId()).isEqualTo(once.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(urgent.getId());
        Pod victim = get(once.getId());
        assertThat(victim.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_FAILED);
        assertThat(victim.getStatus().getReason()).isEqualTo("Preempted by " + urgent.getId());
    }

    @Test
    void planPodIsADryRunWithScoresAndExplanations() {
        agent("node-1", 2000, r -> r);
        agent("node-2", 4000, r -> r.putLabels("disk", "ssd"));

        PlanPodResponse fits = pods.planPod(PlanPodRequest.newBuilder().setSpec(spec("probe", 500, r -> r)).setTop(5).build());
        assertThat(fits.getNodeId()).isIn("node-1", "node-2");
        assertThat(fits.getHostsList()).hasSize(2);
        assertThat(fits.getHosts(0).getNodeId()).isEqualTo(fits.getNodeId());
        assertThat(fits.getHosts(0).getByScorerMap()).isNotEmpty();
        assertThat(fits.getExplanation()).isEmpty();

        PlanPodResponse selective = pods.planPod(PlanPodRequest.newBuilder().setSpec(spec("probe", 500, r -> r).toBuilder()
                .addNodeSelector(LabelSelector.newBuilder().setKey("disk").setOperator(LabelSelector.Operator.OPERATOR_EXISTS))).build());
        assertThat(selective.getNodeId()).isEqualTo("node-2");

        PlanPodResponse tooBig = pods.planPod(PlanPodRequest.newBuilder().setSpec(spec("huge", 64_000, r -> r)).build());
        assertThat(tooBig.getNodeId()).isEmpty();
        assertThat(tooBig.getUnresolvable()).isTrue();
        assertThat(tooBig.getExplanation()).contains("2 insufficient cpu");
        assertThat(pods.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()).isEmpty();
    }
}
