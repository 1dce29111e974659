package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.GI;
import static io.farget.scheduler.metering.Fixtures.T0;
import static io.farget.scheduler.metering.Fixtures.pod;
import static io.farget.scheduler.metering.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.PodPhase;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
    private final UsageLedger ledger = new UsageLedger(new LedgerLayout(8));

    private LedgerEntry only() {
        assertThat(ledger.entries()).hasSize(1);
        return ledger.entries().iterator().next();
    }

    @Test
    void repeatedReorderedAndLostSamplesNeitherLoseNorDoubleCount() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        ledger.sample("p1", 1, usage(3, T0.plusSeconds(30), 15_000_000_000L, 100, 3_000)); // seq 2 lost
        ledger.sample("p1", 1, usage(2, T0.plusSeconds(20), 10_000_000_000L, 100, 2_000)); // late: ignored
        ledger.sample("p1", 1, usage(3, T0.plusSeconds(30), 15_000_000_000L, 100, 3_000)); // repeat: ignored

        LedgerEntry e = only();
        assertThat(e.getUsage().getCpuNanos()).isEqualTo(15_000_000_000L);
        assertThat(e.getBucketsList().stream().mapToLong(b -> b.getCpuNanos()).sum()).isEqualTo(15_000_000_000L);
        assertThat(e.getBucketsList().stream().mapToLong(b -> b.getMemoryByteSeconds()).sum()).isEqualTo(3_000);
    }

    @Test
    void loadBandsRecordHowBusyThePodWasAgainstWhatItReserved() {
        ledger.podChanged(pod("p1", 500, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0, 0, 100, 0));
        ledger.sample("p1", 1, usage(2, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000)); // 0.5 s/s of 0.5 CPU: 100 %

        assertThat(only().getCpuLoadMillis(20)).isEqualTo(10_000);
    }

    @Test
    void aFinishedAttemptMovesToItsDayShardAndBothShardsAreRewritten() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        assertThat(ledger.drainDirty()).containsOnlyKeys(LedgerLayout.ACTIVE + "/" + shard("p1"));

        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(20)), Fixtures::x86);

        var dirty = drained();
        String closed = LedgerLayout.CLOSED + "/2026-11-28/" + shard("p1");
        assertThat(dirty).containsOnlyKeys(LedgerLayout.ACTIVE + "/" + shard("p1"), closed);
        assertThat(dirty.get(closed).getEntriesCount()).isEqualTo(1);
        assertThat(dirty.get(LedgerLayout.ACTIVE + "/" + shard("p1")).getEntriesCount()).isZero();
        assertThat(ledger.drainDirty()).isEmpty();
    }

    @Test
    void podsThatNeverStartedAreNotInTheLedger() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SCHEDULED, null, null), Fixtures::x86);
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_FAILED, null, T0), Fixtures::x86);

        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void aReloadedLedgerKeepsCountingWhereItStopped() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        UsageLedger next = new UsageLedger(new LedgerLayout(8));
        next.load(drained());

        next.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000)); // replayed by the agent
        next.sample("p1", 1, usage(2, T0.plusSeconds(20), 9_000_000_000L, 100, 2_000));

        LedgerEntry e = next.entries().iterator().next();
        assertThat(e.getUsage().getCpuNanos()).isEqualTo(9_000_000_000L);
        assertThat(e.getBucketsList().stream().mapToLong(b -> b.getCpuNanos()).sum()).isEqualTo(9_000_000_000L);
    }

    @Test
    void samplesOfARunningPodRewriteItsShardWithItsEntryOnce() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.drainDirty();
        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        ledger.sample("p1", 1, usage(2, T0.plusSeconds(20), 9_000_000_000L, 100, 2_000));

        var dirty = drained();
        assertThat(dirty).containsOnlyKeys(LedgerLayout.ACTIVE + "/" + shard("p1"));
        assertThat(dirty.get(LedgerLayout.ACTIVE + "/" + shard("p1")).getEntriesList()).singleElement()
                .satisfies(e -> assertThat(e.getUsage().getSampleSeq()).isEqualTo(2));
    }

    @Test
    void aCounterThatWentBackIsKeptAtItsHighestAndTheRestTaken() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 300, 1_000));
        ledger.sample("p1", 1, usage(2, T0.plusSeconds(20), 4_000_000_000L, 200, 2_000)); // cpu counter reset

        LedgerEntry e = only();
        assertThat(e.getUsage().getSampleSeq()).isEqualTo(2);
        assertThat(e.getUsage().getCpuNanos()).isEqualTo(5_000_000_000L);
        assertThat(e.getUsage().getMemoryByteSeconds()).isEqualTo(2_000);
        assertThat(e.getBucketsList().stream().mapToLong(b -> b.getCpuNanos()).sum()).isEqualTo(5_000_000_000L);
    }

    @Test
    void flushedShardsHoldExactlyTheEntriesQueriesSee() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.podChanged(pod("p2", 500, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        ledger.sample("p1", 1, usage(2, T0.plusSeconds(3600), 9_000_000_000L, 200, 2_000)); // a second hour
        ledger.sample("p2", 1, usage(1, T0.plusSeconds(10), 1_000_000_000L, 100, 1_000));
        ledger.podChanged(pod("p2", 500, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(20)), Fixtures::x86);

        var stored = drained().values().stream().flatMap(s -> s.getEntriesList().stream()).toList();

        assertThat(stored).containsExactlyInAnyOrderElementsOf(ledger.entries());
        assertThat(stored).anySatisfy(e -> {
            assertThat(e.getPodId()).isEqualTo("p1");
            assertThat(e.getBucketsCount()).isEqualTo(2);
            assertThat(e.getLabelsMap()).isNotEmpty();
            assertThat(e.getCpuLoadMillisCount()).isEqualTo(LedgerMath.LOAD_BANDS);
        });
    }

    @Test
    void runningEntriesAreWrittenInTurnsAndFinishedOnesAtOnce() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
        ledger.drainDirty();
        int own = Math.floorMod("p1".hashCode(), 8) % 4; // 8 shards written in 4 rounds

        ledger.sample("p1", 1, usage(1, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        assertThat(ledger.drainDue(own + 1, 4)).isEmpty();
        assertThat(ledger.drainDue(own, 4)).containsOnlyKeys(LedgerLayout.ACTIVE + "/" + shard("p1"));

        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(20)), Fixtures::x86);
        assertThat(ledger.drainDue(own + 1, 4)).containsOnlyKeys(LedgerLayout.CLOSED + "/2026-11-28/" + shard("p1"));
        assertThat(ledger.drainDue(own, 4)).containsOnlyKeys(LedgerLayout.ACTIVE + "/" + shard("p1")); // the entry leaves it
    }

    /** What a flush would write, parsed back as ZooKeeper readers see it. */
    private Map<String, LedgerShard> drained() {
        Map<String, LedgerShard> parsed = new HashMap<>();
        ledger.drainDirty().forEach((path, bytes) -> {
            try {
                parsed.put(path, LedgerShard.parseFrom(bytes));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("shard " + path + " does not parse", e);
            }
        });
        return parsed;
    }

    private static String shard(String podId) {
        return String.format("%03d", Math.floorMod(podId.hashCode(), 8));
    }
}
