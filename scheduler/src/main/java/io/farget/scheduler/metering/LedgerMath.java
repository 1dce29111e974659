package io.farget.scheduler.metering;

import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.UsageBucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Pure rules of one ledger entry. Agents send CUMULATIVE counters with a per-attempt sequence
 * number, so a sample is applied only when its seq is higher than the last one applied: repeats,
 * reordering and replays after failovers change nothing, and a lost sample is covered by the next.
 * The delta since the last applied sample goes into the bucket of the hour it was taken in.
 */
public final class LedgerMath {
    /** CPU load bands of 5 % of the reserved CPU, the last one open-ended from 200 %. */
    public static final int LOAD_BANDS = 41;
    static final long BUCKET_SECONDS = 3600;

    private LedgerMath() {}

    public static LedgerEntry empty(String podId, int attempt) {
        return LedgerEntry.newBuilder().setPodId(podId).setAttempt(attempt).build();
    }

    /** {@code entry} with {@code sample} applied, or {@code entry} itself when the sample is not newer. */
    public static LedgerEntry apply(LedgerEntry entry, PodUsage sample) {
        PodUsage last = entry.getUsage();
        if (sample.getSampleSeq() <= last.getSampleSeq()) {
            return entry;
        }
        long cpuDelta = Math.max(0, sample.getCpuNanos() - last.getCpuNanos());
        long memoryDelta = Math.max(0, sample.getMemoryByteSeconds() - last.getMemoryByteSeconds());
        Instant lastAt = Timestamps.toInstant(last.getSampledAt());
        Instant at = Timestamps.toInstant(sample.getSampledAt());
        if (at == null) {
            at = lastAt != null ? lastAt : Instant.EPOCH;
        }
        LedgerEntry.Builder b = entry.toBuilder();
        addToBucket(b, at.truncatedTo(ChronoUnit.HOURS).getEpochSecond(), cpuDelta, memoryDelta);
        if (lastAt != null && at.isAfter(lastAt) && entry.getReserved().getCpuMillis() > 0) {
            long millis = Duration.between(lastAt, at).toMillis();
            addLoad(b, cpuDelta, millis, entry.getReserved().getCpuMillis());
        }
        b.setUsage(counting(last, sample));
        return b.build();
    }

    /**
     * The sample as stored: counters never go back. Counters are cumulative, so a newer sample
     * nearly always holds them all and is kept as it is (no copy: this runs for every sample).
     */
    private static PodUsage counting(PodUsage last, PodUsage sample) {
        if (sample.getCpuNanos() >= last.getCpuNanos() && sample.getMemoryByteSeconds() >= last.getMemoryByteSeconds()
                && sample.getPeakMemoryBytes() >= last.getPeakMemoryBytes()
                && sample.getMemoryHighWaterBytes() >= last.getMemoryHighWaterBytes()) {
            return sample;
        }
        return sample.toBuilder()
                .setCpuNanos(Math.max(last.getCpuNanos(), sample.getCpuNanos()))
                .setMemoryByteSeconds(Math.max(last.getMemoryByteSeconds(), sample.getMemoryByteSeconds()))
                .setPeakMemoryBytes(Math.max(last.getPeakMemoryBytes(), sample.getPeakMemoryBytes()))
                .setMemoryHighWaterBytes(Math.max(last.getMemoryHighWaterBytes(), sample.getMemoryHighWaterBytes()))
                .build();
    }

    /** {@code entry} with the billing facts of {@code pod}'s current attempt (which must be the entry's). */
    public static LedgerEntry describe(LedgerEntry entry, Pod pod, Arch nodeArch) {
        LedgerEntry.Builder b = entry.toBuilder()
                .setPodName(pod.getSpec().getName())
                .setNodeId(pod.getStatus().getNodeId())
                .setArch(nodeArch)
                .clearLabels().putAllLabels(pod.getSpec().getLabelsMap())
                .setReserved(ResourceMath.podSize(pod.getSpec()))
                .setPhase(pod.getStatus().getPhase());
        if (Timestamps.isSet(pod.getStatus().getStartedAt())) {
            b.setStartedAt(pod.getStatus().getStartedAt());
        }
        if (PodPhases.isTerminal(pod.getStatus().getPhase()) && Timestamps.isSet(pod.getStatus().getFinishedAt())) {
            b.setFinishedAt(pod.getStatus().getFinishedAt());
            b.setEndReason(pod.getStatus().getReason());
        }
        return b.build();
    }

    /** The band of a CPU load: {@code cpuNanos} used over {@code millis} by a pod reserving {@code cpuMillis}. */
    static int band(long cpuNanos, long millis, long cpuMillis) {
        double load = cpuNanos / (millis * 1e6 * (cpuMillis / 1000.0));
        return (int) Math.min(LOAD_BANDS - 1, Math.max(0, Math.floor(load * 20)));
    }

    private static void addLoad(LedgerEntry.Builder b, long cpuNanos, long millis, long cpuMillis) {
        if (millis <= 0) {
            return;
        }
        while (b.getCpuLoadMillisCount() < LOAD_BANDS) {
            b.addCpuLoadMillis(0);
        }
        int band = band(cpuNanos, millis, cpuMillis);
        b.setCpuLoadMillis(band, b.getCpuLoadMillis(band) + millis);
    }

    private static void addToBucket(LedgerEntry.Builder b, long hourStart, long cpuNanos, long memoryByteSeconds) {
        for (int i = b.getBucketsCount() - 1; i >= 0; i--) {
            UsageBucket bucket = b.getBuckets(i);
            if (bucket.getStartEpochSecond() <= hourStart && hourStart < bucket.getStartEpochSecond() + bucket.getSeconds()) {
                b.setBuckets(i, bucket.toBuilder()
                        .setCpuNanos(bucket.getCpuNanos() + cpuNanos)
                        .setMemoryByteSeconds(bucket.getMemoryByteSeconds() + memoryByteSeconds));
                return;
            }
        }
        UsageBucket fresh = UsageBucket.newBuilder().setStartEpochSecond(hourStart).setSeconds(BUCKET_SECONDS)
                .setCpuNanos(cpuNanos).setMemoryByteSeconds(memoryByteSeconds).build();
        int at = b.getBucketsCount();
        while (at > 0 && b.getBuckets(at - 1).getStartEpochSecond() > hourStart) {
            at--;
        }
        b.addBuckets(at, fresh);
    }
}
