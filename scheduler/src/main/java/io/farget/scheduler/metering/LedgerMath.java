package io.farget.scheduler.metering;

import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsage;

/**
 * Pure rules of one ledger entry. Agents send CUMULATIVE counters with a per-attempt sequence
 * number, so a sample is applied only when its seq is higher than the last one applied: repeats,
 * reordering and replays after failovers change nothing, and a lost sample is covered by the next
 * ({@link LedgerRecord#apply}).
 */
public final class LedgerMath {
    /** CPU load bands of 5 % of the reserved CPU, the last one open-ended from 200 %. */
    public static final int LOAD_BANDS = 41;
    static final long BUCKET_SECONDS = 3600;

    private LedgerMath() {}

    /**
     * The sample as stored: counters never go back. Counters are cumulative, so a newer sample
     * nearly always holds them all and is kept as it is (no copy: this runs for every sample).
     */
    static PodUsage counting(PodUsage last, PodUsage sample) {
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
}
