package io.farget.scheduler.integration;

import static io.farget.scheduler.support.SchedulerHarness.podRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.GetPodRequest;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ZkLayout;
import io.farget.scheduler.support.SchedulerHarness;
import io.farget.scheduler.support.TestAgent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Placement at creation, through the real scheduler: a pod that fits is stored once, already placed,
 * before the client hears of it; it never jumps older waiting pods; retries and a failover between
 * the store and the launch neither lose it nor run it twice.
 */
class PlaceAtCreateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SchedulerHarness cluster = new SchedulerHarness();

    @Test
    void aPodThatFitsIsStoredOnceAlreadyPlacedBeforeTheAnswerThenLaunched() throws Exception {
        SchedulerServer leader = cluster.leader();
        TestAgent agent = cluster.agent(leader, "node-1", 2000);

        Pod created = cluster.pods(leader).createPod(podRequest("web", 500, ""));

        assertThat(created.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED);
        assertThat(created.getStatus().getNodeId()).isEqualTo("node-1");
        assertThat(created.getStatus().getAttempt()).isEqualTo(1);
        // Durable before the answer, and written once: created placed, never updated.
        assertThat(new ClusterReader(cluster.client()).readPod(created.getId())).contains(created);
        assertThat(cluster.client().checkExists().forPath(ZkLayout.pod(created.getId())).getVersion()).isZero();
        LaunchPod launch = agent.awaitLaunch();
        assertThat(launch.getPodId()).isEqualTo(created.getId());
        assertThat(launch.getAttempt()).isEqualTo(1);
    }

    @Test
    void whatWasPlacedAtCreationCountsForTheNextPod() throws Exception {
        SchedulerServer leader = cluster.leader();
        TestAgent agent = cluster.agent(leader, "node-1", 1000);
        PodServiceGrpc.PodServiceBlockingStub pods = cluster.pods(leader);

        Pod first = pods.createPod(podRequest("a", 500, ""));
        Pod second = pods.createPod(podRequest("b", 500, ""));
        Pod third = pods.createPod(podRequest("c", 500, ""));

        assertThat(List.of(first, second)).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_SCHEDULED));
        assertThat(third.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(pods, third.getId()).getStatus().getReason()).contains("insufficient cpu"));
        assertThat(List.of(agent.awaitLaunch().getPodId(), agent.awaitLaunch().getPodId()))
                .containsExactly(first.getId(), second.getId());
    }

    @Test
    void aNewPodDoesNotJumpAnOlderWaitingOne() throws Exception {
        SchedulerServer leader = cluster.leader();
        TestAgent agent = cluster.agent(leader, "node-1", 1000);
        PodServiceGrpc.PodServiceBlockingStub pods = cluster.pods(leader);
        Pod big = pods.createPod(podRequest("big", 800, ""));
        Pod waiting = pods.createPod(podRequest("waiting", 800, ""));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);

        Pod small = pods.createPod(podRequest("small", 100, ""));

        // It would fit, but an older pod waits: it queues behind it, and the next pass (which serves
        // the older pod first) places it since the older one still does not fit.
        assertThat(small.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(big.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(small.getId());
        assertThat(get(pods, waiting.getId()).getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_PENDING);
    }

    @Test
    void aRetryWithTheSameRequestIdCreatesAndLaunchesNothingNew() throws Exception {
        SchedulerServer leader = cluster.leader();
        TestAgent agent = cluster.agent(leader, "node-1", 2000);
        PodServiceGrpc.PodServiceBlockingStub pods = cluster.pods(leader);

        Pod first = pods.createPod(podRequest("once", 100, "req-1"));
        Pod retry = pods.createPod(podRequest("once", 100, "req-1"));
        Pod other = pods.createPod(podRequest("other", 100, "req-2"));

        assertThat(retry).isEqualTo(first);
        // The stream keeps order: the launch after the first one is the other pod's, not a repeat.
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(first.getId());
        assertThat(agent.awaitLaunch().getPodId()).isEqualTo(other.getId());
    }

    @Test
    void aFailoverAfterThePlacedPodIsStoredLaunchesTheSameAttemptOnce() throws Exception {
        SchedulerServer first = cluster.leader();
        SchedulerServer standby = cluster.scheduler();
        TestAgent agent = cluster.agent(first, "node-1", 2000);
        Pod created = cluster.pods(first).createPod(podRequest("survivor", 500, "req-f"));
        agent.awaitLaunch(); // the agent never reports it: to the next leader this is a launch that may not have arrived

        first.close();
        standby.awaitLeadership(WAIT);
        TestAgent again = cluster.agent(standby, "node-1", 2000);

        LaunchPod relaunch = again.awaitLaunch();
        assertThat(relaunch.getPodId()).isEqualTo(created.getId());
        assertThat(relaunch.getAttempt()).isEqualTo(1); // the same attempt: the agent runs it once
        PodServiceGrpc.PodServiceBlockingStub pods = cluster.pods(standby);
        assertThat(pods.createPod(podRequest("survivor", 500, "req-f")).getId()).isEqualTo(created.getId());
        again.report(PodReport.newBuilder().setPodId(created.getId()).setAttempt(1).setReportSeq(1)
                .setPhase(PodPhase.POD_PHASE_RUNNING));
        await().atMost(WAIT).untilAsserted(() -> {
            Pod now = get(pods, created.getId());
            assertThat(now.getStatus().getPhase()).isEqualTo(PodPhase.POD_PHASE_RUNNING);
            assertThat(now.getStatus().getAttempt()).isEqualTo(1);
        });
    }

    // ---------------------------------------------------------------- helpers

    private static Pod get(PodServiceGrpc.PodServiceBlockingStub pods, String id) {
        return pods.getPod(GetPodRequest.newBuilder().setPodId(id).build());
    }
}
