package io.farget.scheduler.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ZkLayout;
import io.farget.scheduler.support.TestAgent;
import io.farget.scheduler.support.Zk;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Placement at creation, through the real scheduler: a pod that fits is stored once, already placed,
 * before the client hears of it; it never jumps older waiting pods; retries and a failover between
 * the store and the launch neither lose it nor run it twice.
 */
class PlaceAtCreateTest {
    private static final long GI = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestingServer zk;
    private CuratorFramework client;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zk = Zk.startServer();
        client = Zk.client(zk);
    }

    @AfterEach
    void cleanUp() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Zk.closeQuietly(toClose.get(i));
        }
        Zk.closeQuietly(client, zk);
    }

    @Test
    void aPodThatFitsIsStoredOnceAlreadyPlacedBeforeTheAnswerThenLaunched() throws Exception {
        SchedulerServer leader = leader();
        TestAgent agent = agent(leader, "node-1", 2000);

        Pod created = pods(leader).createPod(request("web", 500, ""));

        assertThat(created.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED);
        assertThat(created.getStatus().getNodeId()).isEqualTo("node-1");
        assertThat(created.getStatus().getAttempt()).isEqualTo(1);
        // Durable before the answer, and written once: created placed, never updated.
        assertThat(new ClusterReader(client).readPod(created.getId())).contains(created);
        assertThat(client.checkExists().forPath(ZkLayout.pod(created.getId())).getVersion()).isZero();
        LaunchPod launch = agent.awaitLaunch();
        assertThat(launch.getPodId()).isEqualTo(created.getId());
        assertThat(launch.getAttempt()).isEqualTo(1);
    }

    @Test
    void whatWasPlacedAtCreationCountsForTheNextPod() throws Exception {
        SchedulerServer leader = leader();
        TestAgent agent = agent(leader, "node-1", 1000);
        PodServiceGrpc.PodServiceBlockingStub pods = pods(leader);

        Pod first = pods.createPod(request("a", 500, ""));
        Pod second = pods.createPod(request("b", 500, ""));
        Pod third = pods.createPod(request("c", 500, ""));

        assertThat(List.of(first, second)).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED));
        assertThat(third.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(pods, third.getId()).getStatus().getReason()).contains("insufficient cpu"));
        assertThat(List.of(agent.awaitLaunch().getPodId(), agent.awaitLaunch().getPodId()))
                .containsExactly(first.getId(), second.getId());
    }

    @Test
    void aNewPodDoesNotJumpAnOlderWaitingOne() throws Exception {
        SchedulerServer leader = leader();
        TestAgent agent = agent(leader, "node-1", 1000);
        PodServiceGrpc.PodServiceBlockingStub pods = pods(leader);
        Pod big = pods.createPod(request("big", 800, ""));
        Pod waiting = pods.createPod(request("waiting", 800, ""));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);

        Pod small = pods.createPod(request("small", 100, ""));

        // It would fit, but an older pod waits: it queues behind it, and the next pass (which serves
        // the older pod first) places it since the older one still does not fit.
        assertThat(small.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(big.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(small.getId());
        assertThat(get(pods, waiting.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
    }

    @Test
    void aRetryWithTheSameRequestIdCreatesAndLaunchesNothingNew() throws Exception {
        SchedulerServer leader = leader();
        TestAgent agent = agent(leader, "node-1", 2000);
        PodServiceGrpc.PodServiceBlockingStub pods = pods(leader);

        Pod first = pods.createPod(request("once", 100, "req-1"));
        Pod retry = pods.createPod(request("once", 100, "req-1"));
        Pod other = pods.createPod(request("other", 100, "req-2"));

        assertThat(retry).isEqualTo(first);
        // The stream keeps order: the launch after the first one is the other pod's, not a repeat.
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(first.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(other.getId());
    }

    @Test
    void aFailoverAfterThePlacedPodIsStoredLaunchesTheSameAttemptOnce() throws Exception {
        SchedulerServer first = leader();
        SchedulerServer standby = scheduler();
        TestAgent agent = agent(first, "node-1", 2000);
        Pod created = pods(first).createPod(request("survivor", 500, "req-f"));
        agent.awaitLaunch(); // the agent never reports it: to the next leader this is a launch that may not have arrived

        first.close();
        standby.awaitLeadership(WAIT);
        TestAgent again = agent(standby, "node-1", 2000);

        LaunchPod relaunch = again.awaitLaunch();
        assertThat(relaunch.getPodId()).isEqualTo(created.getId());
        assertThat(relaunch.getAttempt()).isEqualTo(1); // the same attempt: the agent runs it once
        PodServiceGrpc.PodServiceBlockingStub pods = pods(standby);
        assertThat(pods.createPod(request("survivor", 500, "req-f")).getId()).isEqualTo(created.getId());
        again.report(PodReport.newBuilder().setPodId(created.getId()).setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING));
        await().atMost(WAIT).untilAsserted(() -> {
            Pod now = get(pods, created.getId());
            assertThat(now.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
            assertThat(now.getStatus().getAttempt()).isEqualTo(1);
        });
    }

    // ---------------------------------------------------------------- helpers

    private SchedulerServer scheduler() throws Exception {
        SchedulerServer server = SchedulerServer.start(SchedulerConfig.defaults(zk.getConnectString()).withPort(0));
        toClose.add(server);
        return server;
    }

    private SchedulerServer leader() throws Exception {
        SchedulerServer server = scheduler();
        server.awaitLeadership(WAIT);
        return server;
    }

    private TestAgent agent(SchedulerServer server, String nodeId, long cpuMillis) {
        TestAgent agent = TestAgent.register(server.address(), nodeId, cpuMillis, 4 * GI);
        toClose.add(agent);
        agent.awaitRegistered();
        return agent;
    }

    private PodServiceGrpc.PodServiceBlockingStub pods(SchedulerServer server) {
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
        toClose.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return PodServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Pod get(PodServiceGrpc.PodServiceBlockingStub pods, String id) {
        return pods.getPod(GetPodRequest.newBuilder().setPodId(id).build());
    }

    private static CreatePodRequest request(String name, long cpuMillis, String requestId) {
        return CreatePodRequest.newBuilder().setRequestId(requestId).setSpec(PodSpec.newBuilder().setName(name)
                .addContainers(ContainerSpec.newBuilder().setName("main").addCommand("true")
                        .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(64L << 20)))).build();
    }
}
