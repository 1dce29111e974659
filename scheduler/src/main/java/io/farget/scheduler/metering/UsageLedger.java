package io.farget.scheduler.metering;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodUsage;
import io.farget.common.Timestamps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The leader's ledger in memory: one record per pod attempt, changed in place by usage samples and
 * pod changes, with the shard nodes that changed since the last flush. Every method holds the
 * ledger's lock: changes come from the leader loop, reads (queries, metrics) from any thread, and
 * they see whole entries.
 */
public final class UsageLedger {
    private final LedgerLayout layout;
    private final ShardParts parts = new ShardParts();
    private final Map<String, LedgerRecord> records = new HashMap<>();
    /** Keys of the records in each shard node (a shard's part), as the records are now. */
    private final Map<String, Set<String>> shards = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();

    public UsageLedger(LedgerLayout layout) {
        this.layout = layout;
    }

    static String key(String podId, int attempt) {
        return podId + "#" + attempt;
    }

    /** Takes over stored entries; a shard whose content differs from where entries now belong is rewritten. */
    public synchronized void load(Map<String, LedgerShard> stored) {
        stored.keySet().forEach(parts::learn); // before any record is placed: they go where the stored parts say
        for (Map.Entry<String, LedgerShard> shard : stored.entrySet()) {
            for (LedgerEntry e : shard.getValue().getEntriesList()) {
                String key = key(e.getPodId(), e.getAttempt());
                LedgerRecord known = records.get(key);
                if (known == null || e.getUsage().getSampleSeq() > known.usage().getSampleSeq()
                        || (!known.finished() && Timestamps.isSet(e.getFinishedAt()))) {
                    put(key, LedgerRecord.of(e));
                }
            }
        }
        for (Map.Entry<String, LedgerShard> shard : stored.entrySet()) {
            Set<String> now = shards.getOrDefault(shard.getKey(), Set.of());
            if (now.size() != shard.getValue().getEntriesCount()) {
                dirty.add(shard.getKey()); // an entry moved, or was stored twice by a split write
            }
        }
    }

    /** Applies a cumulative sample of one attempt; true when it was new. Runs for every sample: no copies. */
    public synchronized boolean sample(String podId, int attempt, PodUsage usage) {
        if (attempt <= 0) {
            return false;
        }
        String key = key(podId, attempt);
        LedgerRecord record = records.get(key);
        if (record == null) {
            record = LedgerRecord.empty(podId, attempt);
            if (!record.apply(usage)) {
                return false;
            }
            put(key, record);
            return true;
        }
        if (!record.apply(usage)) {
            return false;
        }
        dirty.add(pathOf(key, record));
        return true;
    }

    /**
     * Takes the billing facts (node, size, start and end) of the pod's current attempt. Attempts that
     * never started are not billed and get no entry.
     */
    public synchronized void podChanged(Pod pod, Function<String, Arch> nodeArch) {
        int attempt = pod.getStatus().getAttempt();
        if (attempt <= 0 || pod.getStatus().getPhase() == PodPhase.POD_PHASE_PENDING) {
            return;
        }
        String key = key(pod.getId(), attempt);
        LedgerRecord record = records.get(key);
        if (record == null && !Timestamps.isSet(pod.getStatus().getStartedAt())) {
            return;
        }
        if (record == null) {
            record = LedgerRecord.empty(pod.getId(), attempt);
            record.describe(pod, nodeArch.apply(pod.getStatus().getNodeId()));
            put(key, record);
            return;
        }
        String was = pathOf(key, record);
        if (record.describe(pod, nodeArch.apply(pod.getStatus().getNodeId()))) {
            moved(key, record, was);
        }
    }

    private void put(String key, LedgerRecord record) {
        LedgerRecord previous = records.put(key, record);
        moved(key, record, previous == null ? null : pathOf(key, previous));
    }

    /** The node the record is stored in: a part of the shard its facts put it in. */
    private String pathOf(String key, LedgerRecord record) {
        return parts.pathOf(layout.shardOf(record.facts()), key);
    }

    /** Marks the record's shard dirty, and the shard it left when its facts moved it (it finished). */
    private void moved(String key, LedgerRecord record, String was) {
        String shard = pathOf(key, record);
        if (!shard.equals(was)) {
            if (was != null) {
                Set<String> left = shards.get(was);
                if (left != null) {
                    left.remove(key);
                }
                dirty.add(was);
            }
            shards.computeIfAbsent(shard, s -> new LinkedHashSet<>()).add(key);
        }
        dirty.add(shard);
    }

    /** The encoded content ({@link LedgerShard} bytes) of every shard changed since the last call; they are clean afterwards. */
    public synchronized Map<String, byte[]> drainDirty() {
        return drain(path -> true);
    }

    /** Like {@link #drainDirty} for the shards due at flush {@code round} of {@code rounds} ({@link LedgerLayout#due}). */
    public synchronized Map<String, byte[]> drainDue(long round, int rounds) {
        return drain(path -> layout.due(path, round, rounds));
    }

    /**
     * Encodes the due dirty nodes, in the order they must be written ({@link ShardParts#WRITE_ORDER}).
     * A part that came out larger than {@link ShardParts#PART_BYTES} splits its shard, and the
     * shard's parts are encoded again.
     */
    private Map<String, byte[]> drain(Predicate<String> due) {
        Map<String, byte[]> out = new TreeMap<>(ShardParts.WRITE_ORDER);
        boolean split;
        do {
            split = false;
            for (String path : List.copyOf(dirty)) {
                if (!due.test(path) || out.containsKey(path)) {
                    continue;
                }
                byte[] encoded = encode(path);
                String shard = ShardParts.shardOf(path);
                if (encoded.length > ShardParts.PART_BYTES && split(shard)) {
                    out.keySet().removeIf(p -> ShardParts.shardOf(p).equals(shard)); // encoded before its entries moved
                    split = true;
                    break; // the shard's parts, old and new, are dirty: look again
                }
                out.put(path, encoded);
            }
        } while (split);
        dirty.removeAll(out.keySet());
        return new LinkedHashMap<>(out);
    }

    private byte[] encode(String path) {
        Set<String> keys = shards.getOrDefault(path, Set.of());
        List<LedgerRecord> in = new ArrayList<>(keys.size());
        for (String key : keys) {
            in.add(records.get(key));
        }
        return ShardEncoding.encode(in);
    }

    /** Doubles the shard's parts and moves each of its entries to its part under the new count; false at the most parts. */
    private boolean split(String shard) {
        int before = parts.count(shard);
        if (!parts.split(shard)) {
            return false;
        }
        for (int index = 0; index < before; index++) {
            String part = ShardParts.partPath(shard, index);
            Set<String> keys = shards.getOrDefault(part, Set.of());
            for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
                String key = it.next();
                String now = parts.pathOf(shard, key);
                if (!now.equals(part)) {
                    it.remove();
                    shards.computeIfAbsent(now, s -> new LinkedHashSet<>()).add(key);
                    dirty.add(now);
                }
            }
            dirty.add(part);
        }
        return true;
    }

    /** Marks shards to be written again (their write failed). */
    public synchronized void markDirty(Collection<String> paths) {
        dirty.addAll(paths);
    }

    public synchronized int dirtyCount() {
        return dirty.size();
    }

    /** Every entry, whole. Builds them under the lock: for queries and metrics, not hot paths. */
    public synchronized List<LedgerEntry> entries() {
        List<LedgerEntry> out = new ArrayList<>(records.size());
        for (LedgerRecord record : records.values()) {
            out.add(record.toEntry());
        }
        return out;
    }

    public synchronized int size() {
        return records.size();
    }
}
