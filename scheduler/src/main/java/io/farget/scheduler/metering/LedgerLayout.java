package io.farget.scheduler.metering;

import io.farget.common.Timestamps;
import io.farget.common.ZkPaths;
import io.farget.proto.v1.LedgerEntry;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Where ledger entries live in ZooKeeper. Entries are batched into shard nodes so one write covers
 * many pods: attempts still running in {@code /farget/ledger/active/NNN} (a fixed number of shards,
 * so the write rate does not grow with the pod count), finished ones in
 * {@code /farget/ledger/closed/YYYY-MM-DD/NNN} by the day they ended, which then go cold. A shard
 * too large for one ZooKeeper node is stored in parts ({@code NNN}, {@code NNN.1}, ...: {@link ShardParts}).
 */
public final class LedgerLayout {
    public static final String ROOT = ZkPaths.ROOT + "/ledger";
    public static final String ACTIVE = ROOT + "/active";
    public static final String CLOSED = ROOT + "/closed";
    private static final long SECONDS_PER_DAY = 86_400;

    private final int shards;
    /** Shard names ("007") and active shard paths, made once: this runs for every usage sample. */
    private final String[] names;
    private final String[] activePaths;
    private final Map<String, Integer> activeIndex = new HashMap<>();

    public LedgerLayout(int shards) {
        if (shards < 1 || shards > 999) {
            throw new IllegalArgumentException("ledger shards must be 1..999, not " + shards);
        }
        this.shards = shards;
        this.names = new String[shards];
        this.activePaths = new String[shards];
        for (int i = 0; i < shards; i++) {
            names[i] = String.format("%03d", i);
            activePaths[i] = ACTIVE + "/" + names[i];
            activeIndex.put(activePaths[i], i);
        }
    }

    public String shardOf(LedgerEntry entry) {
        int shard = Math.floorMod(entry.getPodId().hashCode(), shards);
        if (!Timestamps.isSet(entry.getFinishedAt())) {
            return activePaths[shard];
        }
        long epochDay = Math.floorDiv(entry.getFinishedAt().getSeconds(), SECONDS_PER_DAY);
        return CLOSED + "/" + LocalDate.ofEpochDay(epochDay) + "/" + names[shard];
    }

    /**
     * Whether a changed shard is written at flush {@code round} of every {@code rounds}: closed
     * shards (finished attempts) always, each active shard once in {@code rounds} flushes.
     */
    boolean due(String shardPath, long round, int rounds) {
        Integer index = activeIndex.get(ShardParts.shardOf(shardPath)); // every part of a shard is due with it
        return index == null || index % rounds == round % rounds;
    }

    /** The folder holding {@code shardPath}. */
    static String parentOf(String shardPath) {
        return shardPath.substring(0, shardPath.lastIndexOf('/'));
    }
}
