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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shards that outgrow a ZooKeeper node split into parts, and no write order or crash loses an entry. */
class ShardPartsTest {
    /** One active shard, so a few thousand running pods make it too large for one node. */
    private final UsageLedger ledger = new UsageLedger(new LedgerLayout(1));
    private static final String ACTIVE = LedgerLayout.ACTIVE + "/000";

    private void running(int pods) {
        for (int i = 0; i < pods; i++) {
            ledger.podChanged(pod("pod-" + i, 250, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Fixtures::x86);
            ledger.sample("pod-" + i, 1, usage(1, T0.plusSeconds(10), 1_000_000_000L, 100, 1_000));
        }
    }

    @Test
    void aShardPastThePartSizeIsWrittenInPartsThatEachFitAndHoldEveryEntryOnce() {
        running(6_000); // about 1.2 MB in one shard: ZooKeeper refuses a node past 1 MiB

        Map<String, byte[]> written = ledger.drainDirty();

        assertThat(written.keySet()).contains(ACTIVE, ACTIVE + ".1").allMatch(p -> p.startsWith(ACTIVE));
        assertThat(written.values()).allMatch(bytes -> bytes.length <= ShardParts.PART_BYTES);
        assertThat(entries(parse(written))).hasSize(6_000).containsExactlyInAnyOrderElementsOf(ledger.entries());
        assertThat(ledger.drainDirty().keySet()).isEmpty();
    }

    @Test
    void partsAreWrittenFromTheHighestDownAndClosedShardsFirst() {
        running(6_000);
        ledger.drainDirty();
        ledger.podChanged(pod("pod-1", 250, GI, PodPhase.POD_PHASE_SUCCEEDED, T0, T0.plusSeconds(60)), Fixtures::x86);
        for (int i = 0; i < 6_000; i++) {
            ledger.sample("pod-" + i, 1, usage(2, T0.plusSeconds(20), 2_000_000_000L, 100, 2_000));
        }

        List<String> order = new ArrayList<>(ledger.drainDirty().keySet());

        assertThat(order.get(0)).startsWith(LedgerLayout.CLOSED);
        List<Integer> activeParts = order.stream().filter(p -> p.startsWith(ACTIVE)).map(ShardParts::indexOf).toList();
        assertThat(activeParts).hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
    }

    @Test
    void aLeaderLoadingSplitShardsPutsEachEntryBackInItsPart() {
        running(6_000);
        Map<String, LedgerShard> stored = parse(ledger.drainDirty());

        UsageLedger next = new UsageLedger(new LedgerLayout(1));
        next.load(stored);

        Map<String, LedgerShard> rewritten = parse(next.drainDirty()); // a new leader's first flush writes all it loaded
        assertThat(rewritten.keySet()).isEqualTo(stored.keySet());
        rewritten.forEach((path, shard) -> assertThat(podIds(shard)).as(path).isEqualTo(podIds(stored.get(path))));
        next.sample("pod-42", 1, usage(2, T0.plusSeconds(20), 2_000_000_000L, 100, 2_000));
        String holder = stored.entrySet().stream().filter(s -> podIds(s.getValue()).contains("pod-42"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(next.drainDirty().keySet()).containsExactly(holder);
    }

    /**
     * A leader dies after any number of a split's writes: the stored ledger, loaded by the next
     * leader, still has every entry (and each once in the ledger it loads).
     */
    @Test
    void aSplitCutShortAfterAnyWriteLosesNoEntry() {
        running(6_000);
        Map<String, LedgerShard> before = new HashMap<>(Map.of(ACTIVE, LedgerShard.newBuilder().addAllEntries(ledger.entries()).build()));
        List<Map.Entry<String, byte[]>> writes = new ArrayList<>(ledger.drainDirty().entrySet());
        assertThat(writes).hasSizeGreaterThan(1);

        for (int done = 0; done <= writes.size(); done++) {
            Map<String, LedgerShard> stored = new HashMap<>(before);
            stored.putAll(parse(toMap(writes.subList(0, done))));
            UsageLedger next = new UsageLedger(new LedgerLayout(1));
            next.load(stored);
            assertThat(next.entries()).as("after %d of %d writes", done, writes.size()).hasSize(6_000);
        }
    }

    @Test
    void partNumbersFollowTheKeyAndOnlyGrowUpward() {
        for (String key : List.of("a#1", "pod-7#2", "zzzzzzzzzzzz#1")) {
            for (int parts = 1; parts < 1024; parts *= 2) {
                int now = ShardParts.partOf(key, parts);
                assertThat(ShardParts.partOf(key, parts * 2)).isIn(now, now + parts);
            }
        }
        assertThat(ShardParts.shardOf(LedgerLayout.CLOSED + "/2026-11-28/007.12")).isEqualTo(LedgerLayout.CLOSED + "/2026-11-28/007");
        assertThat(ShardParts.indexOf(LedgerLayout.CLOSED + "/2026-11-28/007")).isZero();
    }

    private static java.util.Set<String> podIds(LedgerShard shard) {
        return shard.getEntriesList().stream().map(LedgerEntry::getPodId).collect(java.util.stream.Collectors.toSet());
    }

    private static Map<String, byte[]> toMap(List<Map.Entry<String, byte[]>> writes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        writes.forEach(w -> out.put(w.getKey(), w.getValue()));
        return out;
    }

    private static List<LedgerEntry> entries(Map<String, LedgerShard> shards) {
        return shards.values().stream().flatMap(s -> s.getEntriesList().stream()).toList();
    }

    private static Map<String, LedgerShard> parse(Map<String, byte[]> written) {
        Map<String, LedgerShard> parsed = new LinkedHashMap<>();
        written.forEach((path, bytes) -> {
            try {
                parsed.put(path, LedgerShard.parseFrom(bytes));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("shard " + path + " does not parse", e);
            }
        });
        return parsed;
    }
}
