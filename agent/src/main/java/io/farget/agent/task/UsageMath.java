package io.farget.agent.task;

import io.farget.common.Timestamps;
import io.farget.proto.v1.PodUsage;
import io.farget.sandbox.SandboxStats;
import java.time.Duration;
import java.time.Instant;

/**
 * Folds one stats sample into a pod's cumulative usage. Memory-time is integrated with the trapezoid
 * rule between samples, in byte-seconds rounded per sample (under one byte-second of error per
 * sample, against billions per second of a real pod); counters never go backwards, and memory-time
 * saturates instead of overflowing.
 */
public final class UsageMath {
    private UsageMath() {}

    /** The usage before the first sample: nothing used, measured from the pod's start. */
    public static PodUsage initial(Instant startedAt) {
        return PodUsage.newBuilder().setSampledAt(Timestamps.of(startedAt)).build();
    }

    public static PodUsage next(PodUsage previous, SandboxStats sample, Instant now) {
        Instant previousAt = Timestamps.toInstant(previous.getSampledAt());
        long elapsedNanos = previousAt == null ? 0 : Math.max(0, Duration.between(previousAt, now).toNanos());
        long averageMemory = previous.getMemoryBytes() / 2 + sample.memoryBytes() / 2;
        long area = Math.round(averageMemory * (elapsedNanos / 1e9));
        return PodUsage.newBuilder()
                .setCpuNanos(Math.max(previous.getCpuNanos(), sample.cpuNanos()))
                .setMemoryBytes(sample.memoryBytes())
                .setPeakMemoryBytes(Math.max(previous.getPeakMemoryBytes(), Math.max(sample.peakMemoryBytes(), sample.memoryBytes())))
                .setMemoryByteSeconds(saturatingAdd(previous.getMemoryByteSeconds(), area))
                .setSampledAt(Timestamps.of(now.isBefore(previousAt == null ? now : previousAt) ? previousAt : now))
                .setSampleSeq(previous.getSampleSeq() + 1)
                .build();
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
