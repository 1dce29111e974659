package io.farget.scheduler.metering;

import io.farget.common.Timestamps;
import io.farget.common.ZkPaths;
import io.farget.proto.v1.LedgerEntry;
import java.time.ZoneOffset;

/**
 * Where ledger entries live in ZooKeeper. Entries are batched into shard nodes so one write covers
 * many pods: attempts still running in {@code /farget/ledger/active/NNN} (a fixed number of shards,
 * so the write rate does not grow with the pod count), finished ones in
 * {@code /farget/ledger/closed/YYYY-MM-DD/NNN} by the day they ended, which then go cold.
 */
public final class LedgerLayout {
    public static final String ROOT = ZkPaths.ROOT + "/ledger";
    public static final String ACTIVE = ROOT + "/active";
    public static final String CLOSED = ROOT + "/closed";

    private final int shards;

    public LedgerLayout(int shards) {
        if (shards < 1 || shards > 999) {
            throw new IllegalArgumentException("ledger shards must be 1..999, not " + shards);
        }
        this.shards = shards;
    }

    public String shardOf(LedgerEntry entry) {
        String shard = String.format("%03d", Math.floorMod(entry.getPodId().hashCode(), shards));
        if (!Timestamps.isSet(entry.getFinishedAt())) {
            return ACTIVE + "/" + shard;
        }
        String day = Timestamps.toInstant(entry.getFinishedAt()).atZone(ZoneOffset.UTC).toLocalDate().toString();
        return CLOSED + "/" + day + "/" + shard;
    }

    /** The folder holding {@code shardPath}. */
    static String parentOf(String shardPath) {
        return shardPath.substring(0, shardPath.lastIndexOf('/'));
    }
}
