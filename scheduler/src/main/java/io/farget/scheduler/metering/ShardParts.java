package io.farget.scheduler.metering;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * How a ledger shard grown too large for one ZooKeeper node is split into parts. A shard holds the
 * entries of every attempt whose pod hashes to it (closed ones: that ended that day), so it grows
 * with the fleet and with the day's churn, and ZooKeeper refuses a node past 1 MiB (jute.maxbuffer):
 * 64 shards reach it at about 400,000 running attempts, or as many ended in one day.
 *
 * <p>A shard of P parts (a power of two; 1 at first) keeps an entry in part {@code h mod P}, where
 * {@code h} is the bit-reversed mix of its key: part 0 is the shard's own node ({@code .../007}),
 * part i the node {@code .../007.i}. When a part outgrows {@link #PART_BYTES} the shard's part count
 * doubles, and every entry stays in its part i or moves to part i + P, never elsewhere. So writing a
 * shard's parts from the highest down ({@link #WRITE_ORDER}) never leaves an entry out of
 * ZooKeeper, even across transactions or a crash between them: at worst it is in two parts, and
 * loading keeps one. Part counts only grow; a leader learns them from the part nodes it loads.
 */
final class ShardParts {
    /** Well under ZooKeeper's 1 MiB node and transaction limit, and under a ledger transaction's own budget. */
    static final int PART_BYTES = 256 * 1024;
    /** 1,024 parts of 256 KiB per shard: 16 GiB over 64 shards, far past anything ZooKeeper holds. */
    static final int MAX_PARTS = 1024;
    private static final char PART_MARK = '.';

    /**
     * The order a flush writes shards in: closed ones first (an ending attempt moves from an active
     * shard to a closed one), and within a shard its parts from the highest down (a split moves
     * entries up). So a write that gains entries always lands before the write that drops them.
     */
    static final Comparator<String> WRITE_ORDER = Comparator
            .comparing((String path) -> !path.startsWith(LedgerLayout.CLOSED))
            .thenComparing(ShardParts::shardOf)
            .thenComparing(ShardParts::indexOf, Comparator.reverseOrder());

    private final Map<String, Integer> counts = new HashMap<>();

    /** The node that holds the entry {@code key} of {@code shard}. */
    String pathOf(String shard, String key) {
        return partPath(shard, partOf(key, count(shard)));
    }

    static String partPath(String shard, int index) {
        return index == 0 ? shard : shard + PART_MARK + index;
    }

    /** The part {@code key}'s entry belongs in when its shard has {@code parts} parts. */
    static int partOf(String key, int parts) {
        return Integer.reverse(key.hashCode() * 0x9E3779B1) & (parts - 1);
    }

    int count(String shard) {
        return counts.getOrDefault(shard, 1);
    }

    /** Doubles the shard's parts; false when it has as many as it may. */
    boolean split(String shard) {
        int now = count(shard);
        if (now >= MAX_PARTS) {
            return false;
        }
        counts.put(shard, now * 2);
        return true;
    }

    /** A stored node: its shard has at least enough parts to include it. */
    void learn(String path) {
        int index = indexOf(path);
        if (index > 0) {
            counts.merge(shardOf(path), Integer.highestOneBit(index) * 2, Math::max);
        }
    }

    /** The shard a node belongs to (itself for part 0). */
    static String shardOf(String path) {
        int mark = partMark(path);
        return mark < 0 ? path : path.substring(0, mark);
    }

    /** A node's part number (0 for the shard's own node). */
    static int indexOf(String path) {
        int mark = partMark(path);
        return mark < 0 ? 0 : Integer.parseInt(path.substring(mark + 1));
    }

    private static int partMark(String path) {
        int mark = path.lastIndexOf(PART_MARK);
        return mark > path.lastIndexOf('/') ? mark : -1; // a day folder's name has no dot; only a part's does
    }
}
