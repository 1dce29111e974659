package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.GI;
import static io.farget.scheduler.metering.Fixtures.T0;
import static io.farget.scheduler.metering.Fixtures.pod;
import static io.farget.scheduler.metering.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.PodPhase;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.state.FencedOutException;
import io.farget.scheduler.state.FencedWriter;
import io.farget.scheduler.support.ZkStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ledger in a real ZooKeeper: durable, fenced, and batched. */
class LedgerStoreTest {
    private static final Logger log = LoggerFactory.getLogger(LedgerStoreTest.class);
    @RegisterExtension
    final ZkStore zk = new ZkStore();

    private Metering takeOver(FencedWriter writer) {
        return Metering.takeOver(new LedgerStore(zk.client()), writer, MeteringSettings.defaults().withShards(16), List.of(), Fixtures::x86);
    }

    @Test
    void aNewLeaderLoadsTheLedgerAndReplayedSamplesCountOnce() {
        Metering first = takeOver(EpochFence.takeNextEpoch(zk.client(), "a"));
        first.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null));
        first.sample("p1", 1, usage(1, T0.plusSeconds(10), 4_000_000_000L, 100, 1_000));
        first.flush();
        first.sample("p1", 1, usage(2, T0.plusSeconds(20), 8_000_000_000L, 100, 2_000)); // never flushed: the leader dies

        Metering second = takeOver(EpochFence.takeNextEpoch(zk.client(), "b"));
        second.sample("p1", 1, usage(2, T0.plusSeconds(20), 8_000_000_000L, 100, 2_000)); // the agent's Register resends it
        second.sample("p1", 1, usage(1, T0.plusSeconds(10), 4_000_000_000L, 100, 1_000)); // and an old buffered one
        second.flush();

        LedgerEntry e = takeOver(EpochFence.takeNextEpoch(zk.client(), "c")).ledger().entries().iterator().next();
        assertThat(e.getUsage().getCpuNanos()).isEqualTo(8_000_000_000L);
        assertThat(e.getBucketsList().stream().mapToLong(b -> b.getCpuNanos()).sum()).isEqualTo(8_000_000_000L);
        assertThat(e.getReserved().getCpuMillis()).isEqualTo(1000);
    }

    @Test
    void aDeposedLeaderCannotWriteTheLedger() {
        Metering old = takeOver(EpochFence.takeNextEpoch(zk.client(), "a"));
        EpochFence.takeNextEpoch(zk.client(), "b");
        old.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null));

        assertThatThrownBy(old::flush).isInstanceOf(FencedOutException.class);
        assertThat(new LedgerStore(zk.client()).load().values()).allMatch(s -> s.getEntriesCount() == 0);
    }

    @Test
    void flushesWrittenOnTheirOwnThreadLandAndAFencedOneEndsTheTerm() {
        AtomicBoolean fenced = new AtomicBoolean();
        try (Metering leader = Metering.takeOver(new LedgerStore(zk.client()), EpochFence.takeNextEpoch(zk.client(), "a"),
                MeteringSettings.defaults().withShards(16), List.of(), Fixtures::x86, () -> fenced.set(true))) {
            leader.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null));
            leader.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> stored().size() == 1);

            EpochFence.takeNextEpoch(zk.client(), "b");
            leader.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(5)));
            leader.flush();
            await().atMost(Duration.ofSeconds(10)).untilTrue(fenced);
            assertThat(stored()).singleElement().satisfies(e -> assertThat(e.hasFinishedAt()).isFalse());
        }
    }

    /**
     * 9,000 running pods in one shard are about 1.1 MB, past the 1 MiB ZooKeeper takes in a node or a
     * transaction: the shard is written in parts, and the next leader loads every entry once.
     */
    @Test
    void aShardLargerThanAZooKeeperNodeIsStoredInPartsAndLoadedWhole() {
        MeteringSettings oneShard = MeteringSettings.defaults().withShards(1);
        Metering leader = Metering.takeOver(new LedgerStore(zk.client()), EpochFence.takeNextEpoch(zk.client(), "a"), oneShard, List.of(),
                Fixtures::x86);
        int pods = 9_000;
        for (int i = 0; i < pods; i++) {
            leader.podChanged(pod("pod-" + i, 250, GI / 4, PodPhase.POD_PHASE_RUNNING, T0, null));
            leader.sample("pod-" + i, 1, usage(1, T0.plusSeconds(10), 1_000_000_000L, 50L << 20, 500L << 20));
        }

        leader.flush();

        Map<String, io.farget.proto.v1.LedgerShard> nodes = new LedgerStore(zk.client()).load();
        assertThat(nodes.keySet()).hasSizeGreaterThan(1).allMatch(path -> path.startsWith(LedgerLayout.ACTIVE + "/000"));
        assertThat(nodes.values().stream().mapToLong(io.farget.proto.v1.LedgerShard::getSerializedSize).sum()).isGreaterThan(1L << 20);
        assertThat(stored()).hasSize(pods);
        Metering next = Metering.takeOver(new LedgerStore(zk.client()), EpochFence.takeNextEpoch(zk.client(), "b"), oneShard, List.of(),
                Fixtures::x86);
        assertThat(next.ledger().entries()).hasSize(pods);
    }

    /** Our idea of which nodes exist went wrong (one was removed): one flush fails, the next writes it back. */
    @Test
    void aShardRemovedBehindTheLeadersBackIsWrittenAgainAtTheNextFlush() throws Exception {
        MeteringSettings everyShardEveryFlush = MeteringSettings.defaults().withShards(16)
                .withRunningFlushInterval(MeteringSettings.defaults().flushInterval());
        Metering leader = Metering.takeOver(new LedgerStore(zk.client()), EpochFence.takeNextEpoch(zk.client(), "a"),
                everyShardEveryFlush, List.of(), Fixtures::x86);
        leader.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null));
        leader.flush();
        String shard = new LedgerStore(zk.client()).load().keySet().iterator().next();
        zk.client().delete().forPath(shard);

        leader.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(5)));
        leader.flush(); // updates the removed node: the transaction fails, and the nodes are listed again
        leader.flush();

        assertThat(stored()).singleElement().satisfies(e -> assertThat(e.hasFinishedAt()).isTrue());
        assertThat(zk.client().checkExists().forPath(shard)).isNotNull();
    }

    private List<LedgerEntry> stored() {
        return new LedgerStore(zk.client()).load().values().stream().flatMap(s -> s.getEntriesList().stream()).toList();
    }

    /**
     * The write-rate figure: 1,000 running pods sampled every 10 s for 10 simulated minutes, flushed
     * every 10 s (the defaults), against a real ZooKeeper. Goal: at most 10 writes/s per 1,000 pods.
     */
    @Test
    void athousandRunningPodsCostFarLessThanTenZooKeeperWritesPerSecond() {
        Metering leader = Metering.takeOver(new LedgerStore(zk.client()), EpochFence.takeNextEpoch(zk.client(), "a"),
                MeteringSettings.defaults(), List.of(), Fixtures::x86);
        int pods = 1000;
        for (int i = 0; i < pods; i++) {
            leader.podChanged(pod("pod-" + i, 250, GI / 4, PodPhase.POD_PHASE_RUNNING, T0, null));
        }
        leader.flush();
        long tx0 = leader.store().transactions();
        long ops0 = leader.store().operations();
        int rounds = 60;
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < pods; i++) {
                leader.sample("pod-" + i, 1, usage(round, T0.plusSeconds(10L * round), round * 1_000_000_000L, 50L << 20, round * 500L << 20));
            }
            leader.flush();
        }
        double seconds = rounds * 10.0;
        double txPerSecond = (leader.store().transactions() - tx0) / seconds;
        double opsPerSecond = (leader.store().operations() - ops0) / seconds;
        log.info("FIGURE ledger writes per 1000 running pods: {} transactions/s, {} node writes/s", txPerSecond, opsPerSecond);

        assertThat(opsPerSecond).isLessThanOrEqualTo(10.0);
        Map<String, ?> stored = new LedgerStore(zk.client()).load();
        assertThat(takeOver(EpochFence.takeNextEpoch(zk.client(), "b")).ledger().entries()).hasSize(pods);
        assertThat(stored).isNotEmpty();
    }
}
