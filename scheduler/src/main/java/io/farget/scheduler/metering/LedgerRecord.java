package io.farget.scheduler.metering;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.UsageBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One pod attempt in the leader's ledger, changed in place. Every running pod sends a sample every
 * usage interval (10,000 a second at 100,000 pods), so applying one must not copy the entry: the
 * billing facts (name, node, labels, size, start and end) are one immutable message, replaced only
 * when the pod changes, and the usage counters are plain fields. Not thread-safe: the
 * {@link UsageLedger} guards it.
 */
final class LedgerRecord {
    /** The entry without its usage fields (usage, buckets, load bands). */
    private LedgerEntry facts;
    /** {@link #facts} serialized, made at the first flush after they change; see {@link ShardEncoding}. */
    private byte[] encodedFacts;
    private PodUsage usage = PodUsage.getDefaultInstance();
    /** Usage deltas by hour, oldest first; a pod spans one or two hours nearly always. */
    private final List<HourBucket> buckets = new ArrayList<>(2);
    /** Milliseconds at each CPU load band, made at the first sample that spans time. */
    private LoadBands loadBands;

    private LedgerRecord(LedgerEntry facts) {
        this.facts = facts;
    }

    static LedgerRecord empty(String podId, int attempt) {
        return new LedgerRecord(LedgerEntry.newBuilder().setPodId(podId).setAttempt(attempt).build());
    }

    /** A stored entry, taken apart into facts and counters. */
    static LedgerRecord of(LedgerEntry stored) {
        LedgerRecord record = new LedgerRecord(stored.toBuilder().clearUsage().clearBuckets().clearCpuLoadMillis().build());
        record.usage = stored.getUsage();
        for (UsageBucket b : stored.getBucketsList()) {
            record.buckets.add(new HourBucket(b.getStartEpochSecond(), b.getSeconds(), b.getCpuNanos(), b.getMemoryByteSeconds()));
        }
        if (stored.getCpuLoadMillisCount() > 0) {
            record.loadBands = new LoadBands();
            for (int i = 0; i < Math.min(LedgerMath.LOAD_BANDS, stored.getCpuLoadMillisCount()); i++) {
                if (stored.getCpuLoadMillis(i) != 0) {
                    record.loadBands.add(i, stored.getCpuLoadMillis(i));
                }
            }
        }
        return record;
    }

    LedgerEntry facts() {
        return facts;
    }

    PodUsage usage() {
        return usage;
    }

    boolean finished() {
        return Timestamps.isSet(facts.getFinishedAt());
    }

    /**
     * Applies a cumulative sample: the delta since the last applied one goes into the bucket of the
     * hour it was taken in, and the time between them into a load band. False when the sample is
     * not newer (a repeat, a reordered or a replayed one), which changes nothing.
     */
    boolean apply(PodUsage sample) {
        PodUsage last = usage;
        if (sample.getSampleSeq() <= last.getSampleSeq()) {
            return false;
        }
        long cpuDelta = Math.max(0, sample.getCpuNanos() - last.getCpuNanos());
        long memoryDelta = Math.max(0, sample.getMemoryByteSeconds() - last.getMemoryByteSeconds());
        Instant lastAt = Timestamps.toInstant(last.getSampledAt());
        Instant at = Timestamps.toInstant(sample.getSampledAt());
        if (at == null) {
            at = lastAt != null ? lastAt : Instant.EPOCH;
        }
        hourOf(Math.floorDiv(at.getEpochSecond(), LedgerMath.BUCKET_SECONDS) * LedgerMath.BUCKET_SECONDS)
                .add(cpuDelta, memoryDelta);
        long cpuMillis = facts.getReserved().getCpuMillis();
        if (lastAt != null && at.isAfter(lastAt) && cpuMillis > 0) {
            long millis = Duration.between(lastAt, at).toMillis();
            if (millis > 0) {
                if (loadBands == null) {
                    loadBands = new LoadBands();
                }
                loadBands.add(LedgerMath.band(cpuDelta, millis, cpuMillis), millis);
            }
        }
        usage = LedgerMath.counting(last, sample);
        return true;
    }

    /** Takes the billing facts of {@code pod}'s current attempt; false when nothing changed. */
    boolean describe(Pod pod, Arch nodeArch) {
        LedgerEntry next = LedgerMath.describe(facts, pod, nodeArch);
        if (next.equals(facts)) {
            return false;
        }
        facts = next;
        encodedFacts = null;
        return true;
    }

    private HourBucket hourOf(long hourStart) {
        int at = buckets.size();
        for (int i = buckets.size() - 1; i >= 0; i--) {
            HourBucket b = buckets.get(i);
            if (b.start <= hourStart && hourStart < b.start + b.seconds) {
                return b;
            }
            if (b.start > hourStart) {
                at = i;
            }
        }
        HourBucket fresh = new HourBucket(hourStart, LedgerMath.BUCKET_SECONDS, 0, 0);
        buckets.add(at, fresh);
        return fresh;
    }

    /** The whole entry, as queries and tests see it. */
    LedgerEntry toEntry() {
        return facts.toBuilder().mergeFrom(counters()).build();
    }

    /** The usage fields alone, as an entry with nothing else set. */
    LedgerEntry counters() {
        LedgerEntry.Builder b = LedgerEntry.newBuilder().setUsage(usage);
        for (HourBucket bucket : buckets) {
            b.addBuckets(bucket.toProto());
        }
        if (loadBands != null) {
            loadBands.addTo(b);
        }
        return b.build();
    }

    byte[] encodedFacts() {
        if (encodedFacts == null) {
            encodedFacts = facts.toByteArray();
        }
        return encodedFacts;
    }

    /**
     * Milliseconds at each of the {@link LedgerMath#LOAD_BANDS} CPU load bands, holding only the
     * bands reached: an attempt spends its life in one to three of the 41, and a dense array was
     * 344 bytes of every attempt in the leader's heap (36 MB at 100,000 pods). Stored and queried
     * dense, as before.
     */
    private static final class LoadBands {
        private byte[] bands = new byte[2];
        private long[] millis = new long[2];
        private int count;

        void add(int band, long ms) {
            for (int i = 0; i < count; i++) {
                if (bands[i] == band) {
                    millis[i] += ms;
                    return;
                }
            }
            if (count == bands.length) {
                bands = Arrays.copyOf(bands, count * 2);
                millis = Arrays.copyOf(millis, count * 2);
            }
            bands[count] = (byte) band;
            millis[count++] = ms;
        }

        void addTo(LedgerEntry.Builder entry) {
            long[] dense = new long[LedgerMath.LOAD_BANDS];
            for (int i = 0; i < count; i++) {
                dense[bands[i]] = millis[i];
            }
            for (long ms : dense) {
                entry.addCpuLoadMillis(ms);
            }
        }
    }

    /** One hour's usage, summed in place. */
    private static final class HourBucket {
        final long start;
        final long seconds;
        long cpuNanos;
        long memoryByteSeconds;

        HourBucket(long start, long seconds, long cpuNanos, long memoryByteSeconds) {
            this.start = start;
            this.seconds = seconds;
            this.cpuNanos = cpuNanos;
            this.memoryByteSeconds = memoryByteSeconds;
        }

        void add(long cpu, long memory) {
            cpuNanos += cpu;
            memoryByteSeconds += memory;
        }

        UsageBucket toProto() {
            return UsageBucket.newBuilder().setStartEpochSecond(start).setSeconds(seconds)
                    .setCpuNanos(cpuNanos).setMemoryByteSeconds(memoryByteSeconds).build();
        }
    }
}
