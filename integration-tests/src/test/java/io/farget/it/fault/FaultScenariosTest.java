package io.farget.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.it.fault.FaultCluster.Agent;
import io.farget.it.fault.InvariantChecker.PodView;
import io.farget.it.fault.InvariantChecker.Verdict;
import io.farget.it.fault.RunJournal.Run;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault at a time on a cluster of processes on simulated hosts (see {@link FaultCluster}); after
 * each, the invariants hold: every accepted pod runs exactly once, nothing is lost, and no pod runs
 * on two reachable hosts longer than the LOST timeout. The scenarios share one cluster (starting it
 * costs half a minute); each leaves it whole again. Figures are logged as "FIGURE" lines.
 */
@Tag("fault")
@Tag("runc") // needs root too (network namespaces), so -Dfarget.skipRunc skips it; -Dsurefire.excludedGroups=fault skips only these
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultScenariosTest {
    private static final Logger log = LoggerFactory.getLogger(FaultScenariosTest.class);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration SUBMIT_BUDGET = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration LONG_CUT = Duration.ofSeconds(14);

    private FaultCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = FaultCluster.create(Path.of("target", "fault-logs", "scenarios"), 3, true);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        assertThat(TestNetwork.namespaces()).as("namespaces left").isEmpty();
        assertThat(FaultCluster.cgroupLeftovers()).as("cgroups left").isEmpty();
    }

    /** Whatever a scenario broke is whole again before the next one, even when it failed half-way. */
    @AfterEach
    void repair() throws Exception {
        for (Agent agent : cluster.agents()) {
            cluster.heal(agent);
            if (!agent.process.isAlive()) {
                cluster.startAgent(agent);
            }
        }
        for (int i = 0; i < cluster.zookeeper().size(); i++) {
            cluster.zookeeper().start(i);
        }
        for (int i = 0; i < 3; i++) {
            cluster.startScheduler(i);
        }
        // The next scenario starts from a whole cluster: after a quorum loss or a leader change the
        // agents re-register with some delay, and a scenario that acts on a node meanwhile would see
        // it NOT_READY.
        cluster.awaitAllReady(WAIT);
    }

    private void assertClean(Verdict verdict) {
        assertThat(verdict.lost()).as("lost").isEmpty();
        assertThat(verdict.duplicated()).as("duplicated").isEmpty();
        assertThat(verdict.unsettled()).as("not in the desired state").isEmpty();
        assertThat(verdict.doubleRunViolations()).as("double runs beyond the LOST timeout").isEmpty();
    }

    private void submitAccepted(int count, String runtime) {
        for (int i = 0; i < count; i++) {
            assertThat(cluster.submit(runtime, SUBMIT_BUDGET).accepted()).as("submission accepted").isTrue();
        }
    }

    private List<String> podsOn(String nodeId) {
        return cluster.pods().stream().filter(p -> p.node().equals(nodeId) && p.phase().equals("RUNNING")).map(PodView::id).toList();
    }

    /** The fake agent running the most pods: the placement packs pods tightly, so a fixed choice may hit an empty host. */
    private Agent busiestFakeAgent() {
        return cluster.fakeAgents().stream().max(java.util.Comparator.comparingInt(a -> podsOn(a.nodeId()).size())).orElseThrow();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    @Order(1)
    void podsSubmittedToAHealthyClusterRunExactlyOnce() {
        submitAccepted(9, "fake");
        assertClean(cluster.awaitSettled(SETTLE));
    }

    @Test
    @Order(2)
    void killNineOfTheLeaderDuringABurstLosesAndDuplicatesNothing() throws Exception {
        int leader = cluster.awaitLeader(WAIT);
        submitAccepted(5, "fake");
        cluster.killScheduler(leader);
        long killed = System.nanoTime();
        Client.Submission first = cluster.submit("fake", SUBMIT_BUDGET);
        long failoverMillis = millisSince(killed);
        assertThat(first.accepted()).as("a write is accepted again after the failover").isTrue();
        submitAccepted(5, "fake");
        cluster.startScheduler(leader);
        Verdict verdict = cluster.awaitSettled(SETTLE);
        log.info("FIGURE leader kill -9 -> first accepted write {} ms ({} tries of one request id); {}", failoverMillis, first.tries(),
                verdict.summary());
        assertClean(verdict);
    }

    @Test
    @Order(3)
    void aKilledAgentsPodsAreRescheduledAndItComesBackEmpty() throws Exception {
        submitAccepted(3, "fake");
        cluster.awaitSettled(SETTLE);
        Agent victim = busiestFakeAgent();
        List<String> itsPods = podsOn(victim.nodeId());
        assertThat(itsPods).as(victim.nodeId() + " runs pods").isNotEmpty();

        cluster.killAgent(victim);
        long killed = System.nanoTime();
        await("NOT_READY").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.nodeState(victim.nodeId()).startsWith("NOT_READY"));
        long detectedMillis = millisSince(killed);
        await("its pods running elsewhere").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, PodView> now = new HashMap<>();
            cluster.pods().forEach(p -> now.put(p.id(), p));
            return itsPods.stream().allMatch(id -> now.get(id).phase().equals("RUNNING") && !now.get(id).node().equals(victim.nodeId()));
        });
        long rescheduledMillis = millisSince(killed);

        cluster.startAgent(victim);
        cluster.awaitAllReady(WAIT);
        Verdict verdict = cluster.awaitSettled(SETTLE);
        log.info("FIGURE agent kill -9 with {} pods: NOT_READY after {} ms, all running elsewhere after {} ms (NOT_READY {} s + LOST {} s configured); {}",
                itsPods.size(), detectedMillis, rescheduledMillis, FaultCluster.NOT_READY_AFTER.toSeconds(),
                FaultCluster.LOST_AFTER.toSeconds(), verdict.summary());
        assertClean(verdict);
    }

    @Test
    @Order(4)
    void aCutOffHostsPodsMoveAndTheStaleCopiesAreKilledWhenItReturns() throws Exception {
        submitAccepted(3, "fake");
        cluster.awaitSettled(SETTLE);
        Agent victim = busiestFakeAgent();
        List<String> itsPods = podsOn(victim.nodeId());
        assertThat(itsPods).as(victim.nodeId() + " runs pods").isNotEmpty();

        cluster.cut(victim);
        long cut = System.nanoTime();
        await("NOT_READY").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.nodeState(victim.nodeId()).startsWith("NOT_READY"));
        long detectedMillis = millisSince(cut);
        await("its pods running elsewhere").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, PodView> now = new HashMap<>();
            cluster.pods().forEach(p -> now.put(p.id(), p));
            return itsPods.stream().allMatch(id -> now.get(id).phase().equals("RUNNING") && !now.get(id).node().equals(victim.nodeId()));
        });
        long rescheduledMillis = millisSince(cut);
        List<Run> stale = cluster.runs().stream().filter(r -> r.open() && r.host().equals(victim.nodeId())).toList();
        assertThat(stale).as("the cut-off host keeps running its pods").isNotEmpty();
        // Heal 14 s after the cut, not at once: by then TCP's retransmission backoff on a connection
        // that outlived the cut would hold the agent's next segment until about 25 s (0.2 s doubling),
        // and the leader's kills until about 18 s. The stale copies must die long before either.
        long cutFor = millisSince(cut);
        Duration untilHeal = Duration.ofMillis(Math.max(0, LONG_CUT.toMillis() - cutFor));
        await().pollDelay(untilHeal).atMost(untilHeal.plusSeconds(1)).until(() -> true);

        cluster.heal(victim);
        long healed = System.nanoTime();
        await("the stale copies killed").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.runs().stream().noneMatch(r -> r.open() && r.host().equals(victim.nodeId()) && itsPods.contains(r.podId())));
        long staleKilledMillis = millisSince(healed);
        Verdict verdict = cluster.awaitSettled(SETTLE);
        log.info("FIGURE link cut of a host with {} pods: NOT_READY after {} ms, running elsewhere after {} ms; after the heal the stale copies died in {} ms; {}",
                itsPods.size(), detectedMillis, rescheduledMillis, staleKilledMillis, verdict.summary());
        assertClean(verdict);
    }

    @Test
    @Order(5)
    void aShortCutChangesNothing() throws Exception {
        submitAccepted(2, "fake");
        cluster.awaitSettled(SETTLE);
        Agent victim = busiestFakeAgent();
        Map<String, Integer> attempts = new HashMap<>();
        cluster.pods().forEach(p -> attempts.put(p.id(), p.attempt()));

        cluster.cut(victim);
        await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true); // shorter than NOT_READY (2 s)
        cluster.heal(victim);
        Verdict verdict = cluster.awaitSettled(SETTLE);
        cluster.pods().forEach(p -> assertThat(p.attempt()).as("attempt of " + p.id()).isEqualTo(attempts.getOrDefault(p.id(), p.attempt())));
        assertClean(verdict);
    }

    @Test
    @Order(6)
    void anAgentRestartedWithRealRuncPodsAdoptsThemUnchanged() throws Exception {
        Agent runc = cluster.agent("r1");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Client.Submission submission = cluster.submit("runc", SUBMIT_BUDGET);
            assertThat(submission.accepted()).isTrue();
            ids.add(submission.podId());
        }
        cluster.awaitSettled(SETTLE);
        RuncCommand runcCli = new RuncCommand("runc", RuncConfig.defaults(runc.dataDir).stateRoot());
        Map<String, Integer> pids = new HashMap<>();
        for (String id : ids) {
            pids.put(id, runcCli.state(id).map(RuncState::pid).orElseThrow());
        }

        cluster.killAgent(runc);
        cluster.startAgent(runc);
        await("r1 READY again").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.nodeState(runc.nodeId()).equals("READY"));
        Verdict verdict = cluster.awaitSettled(SETTLE);
        for (String id : ids) {
            assertThat(runcCli.state(id).map(RuncState::pid)).as("pid of " + id).contains(pids.get(id));
            assertThat(cluster.pod(id).attempt()).as("attempt of " + id).isEqualTo(1);
        }
        assertThat(cluster.runs().stream().filter(r -> ids.contains(r.podId()))).as("one uninterrupted run each")
                .hasSize(ids.size()).allMatch(Run::open);
        log.info("FIGURE agent kill -9 and restart with {} runc pods: adopted with the same pids; {}", ids.size(), verdict.summary());
        assertClean(verdict);
    }

    @Test
    @Order(7)
    void zooKeeperMemberThenQuorumLossAndReturn() throws Exception {
        ZooKeeperEnsemble zk = cluster.zookeeper();
        submitAccepted(2, "fake");
        cluster.awaitSettled(SETTLE);

        zk.stop(0);
        assertThat(cluster.submit("fake", SUBMIT_BUDGET).accepted()).as("a write with two of three members").isTrue();
        cluster.awaitSettled(SETTLE);

        zk.stop(1);
        long quorumLost = System.nanoTime();
        Client.Submission refused = cluster.submit("fake", Duration.ZERO);
        long refusedMillis = millisSince(quorumLost);
        assertThat(refused.accepted()).as("no write without a quorum").isFalse();
        List<PodView> readable = cluster.pods();
        assertThat(readable).as("reads answer from the last state").isNotEmpty();
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true); // the outage lasts a while
        long runningBefore = cluster.runs().stream().filter(Run::open).count();

        zk.start(0);
        zk.start(1);
        long quorumBack = System.nanoTime();
        Client.Submission after = cluster.submit("fake", SUBMIT_BUDGET);
        long recoveredMillis = millisSince(quorumBack);
        assertThat(after.accepted()).as("writes come back with the quorum, without restarts").isTrue();
        Verdict verdict = cluster.awaitSettled(SETTLE);
        log.info("FIGURE ZooKeeper quorum loss: a write failed in {} ms ({}); {} pods kept running; first accepted write {} ms after the quorum returned; {}",
                refusedMillis, refused.error(), runningBefore, recoveredMillis, verdict.summary());
        assertClean(verdict);
    }

    @Test
    @Order(8)
    void drainingANodeMovesItsPodsAndLosesNone() throws Exception {
        submitAccepted(3, "fake");
        cluster.awaitSettled(SETTLE);
        Agent drained = busiestFakeAgent();
        List<String> itsPods = podsOn(drained.nodeId());

        long start = System.nanoTime();
        cluster.client().cli("nodes", "drain", drained.nodeId(), "--deadline", "20s").assertOk();
        // Awaited, not read once: should leadership change meanwhile, the new leader shows the
        // recorded drain as soon as the node registers with it.
        await("DRAINING").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.nodeState(drained.nodeId()).equals("DRAINING"));
        await("drained node empty").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> podsOn(drained.nodeId()).isEmpty());
        long emptiedMillis = millisSince(start);
        Verdict verdict = cluster.awaitSettled(SETTLE);
        cluster.client().cli("nodes", "uncordon", drained.nodeId()).assertOk();
        log.info("FIGURE drain of a node with {} pods: empty after {} ms; {}", itsPods.size(), emptiedMillis, verdict.summary());
        assertClean(verdict);
    }
}
