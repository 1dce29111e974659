package io.farget.scheduler.metering;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodUsage;
import io.farget.common.Timestamps;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The leader's ledger in memory: one entry per pod attempt, changed by usage samples and pod
 * changes, with the shard nodes that changed since the last flush. Changes come from the leader
 * loop only; reads (queries, metrics) may come from any thread and see whole entries.
 */
public final class UsageLedger {
    private final LedgerLayout layout;
    private final Map<String, LedgerEntry> entries = new ConcurrentHashMap<>();
    /** Keys of the entries in each shard node, as the entries are now. */
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
        for (Map.Entry<String, LedgerShard> shard : stored.entrySet()) {
            for (LedgerEntry e : shard.getValue().getEntriesList()) {
                LedgerEntry known = entries.get(key(e.getPodId(), e.getAttempt()));
                if (known == null || e.getUsage().getSampleSeq() > known.getUsage().getSampleSeq()
                        || (!Timestamps.isSet(known.getFinishedAt()) && Timestamps.isSet(e.getFinishedAt()))) {
                    put(e);
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

    /** Applies a cumulative sample of one attempt; true when it was new. */
    public synchronized boolean sample(String podId, int attempt, PodUsage usage) {
        if (attempt <= 0) {
            return false;
        }
        String key = key(podId, attempt);
        LedgerEntry before = entries.get(key);
        if (before == null) {
            before = LedgerMath.empty(podId, attempt); // made only when needed: this runs for every sample
        }
        LedgerEntry after = LedgerMath.apply(before, usage);
        if (after == before) {
            return false;
        }
        put(key, after);
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
        LedgerEntry before = entries.get(key);
        if (before == null && !Timestamps.isSet(pod.getStatus().getStartedAt())) {
            return;
        }
        if (before == null) {
            before = LedgerMath.empty(pod.getId(), attempt);
        }
        LedgerEntry after = LedgerMath.describe(before, pod, nodeArch.apply(pod.getStatus().getNodeId()));
        if (!after.equals(before)) {
            put(key, after);
        }
    }

    private void put(LedgerEntry entry) {
        put(key(entry.getPodId(), entry.getAttempt()), entry);
    }

    /** Runs for every usage sample: the shard's key set is touched only when the entry is new or moved. */
    private void put(String key, LedgerEntry entry) {
        LedgerEntry previous = entries.put(key, entry);
        String shard = layout.shardOf(entry);
        String was = previous == null ? null : layout.shardOf(previous);
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

    /** The content of every shard changed since the last call; they are clean afterwards. */
    public synchronized Map<String, LedgerShard> drainDirty() {
        Map<String, LedgerShard> out = new HashMap<>();
        for (String path : dirty) {
            LedgerShard.Builder shard = LedgerShard.newBuilder();
            for (String key : shards.getOrDefault(path, Set.of())) {
                shard.addEntries(entries.get(key));
            }
            out.put(path, shard.build());
        }
        dirty.clear();
        return out;
    }

    /** Marks shards to be written again (their write failed). */
    public synchronized void markDirty(Collection<String> paths) {
        dirty.addAll(paths);
    }

    public synchronized int dirtyCount() {
        return dirty.size();
    }

    public Collection<LedgerEntry> entries() {
        return List.copyOf(entries.values());
    }
}
