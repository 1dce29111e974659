package io.farget.agent.task;

import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodUsage;
import io.farget.sandbox.ContainerStats;
import io.farget.sandbox.SandboxStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Folds one stats sample into a pod's (and its containers') cumulative usage. Memory is the working
 * set; its peak is the highest working set sampled, while the kernel's high-water mark, which also
 * holds page cache and spikes between samples, is kept beside it for sizing limits. Memory-time is
 * integrated with the trapezoid rule between samples, in byte-seconds rounded per sample (under one
 * byte-second of error per sample, against billions per second of a real pod); counters never go
 * backwards, and memory-time saturates instead of overflowing.
 */
public final class UsageMath {
    private UsageMath() {}

    /** The usage before the first sample: nothing used, measured from the pod's start. */
    public static PodUsage initial(Instant startedAt) {
        return PodUsage.newBuilder().setSampledAt(Timestamps.of(startedAt)).build();
    }

    public static PodUsage next(PodUsage previous, SandboxStats sample, Instant now) {
        return next(previous, sample, List.of(), now);
    }

    /**
     * {@code previous} with the pod's {@code sample} and its containers' applied. A container missing
     * from {@code containers} keeps its last counters (its cgroup may already be gone).
     */
    public static PodUsage next(PodUsage previous, SandboxStats sample, List<ContainerStats> containers, Instant now) {
        Instant previousAt = Timestamps.toInstant(previous.getSampledAt());
        double elapsedSeconds = previousAt == null ? 0 : Math.max(0, Duration.between(previousAt, now).toNanos()) / 1e9;
        PodUsage.Builder b = PodUsage.newBuilder()
                .setCpuNanos(Math.max(previous.getCpuNanos(), sample.cpuNanos()))
                .setMemoryBytes(sample.memoryBytes())
                .setPeakMemoryBytes(Math.max(previous.getPeakMemoryBytes(), sample.memoryBytes()))
                .setMemoryHighWaterBytes(highWater(previous.getMemoryHighWaterBytes(), sample))
                .setMemoryByteSeconds(integrate(previous.getMemoryByteSeconds(), previous.getMemoryBytes(), sample.memoryBytes(), elapsedSeconds))
                .setSampledAt(Timestamps.of(now.isBefore(previousAt == null ? now : previousAt) ? previousAt : now))
                .setSampleSeq(previous.getSampleSeq() + 1);
        Map<String, ContainerStats> fresh = containers.stream()
                .collect(Collectors.toMap(ContainerStats::name, Function.identity(), (a, c) -> a));
        for (ContainerUsage before : previous.getContainersList()) {
            ContainerStats sampled = fresh.remove(before.getName());
            b.addContainers(sampled == null ? before : container(before, sampled.stats(), elapsedSeconds));
        }
        for (ContainerStats c : containers) {
            if (fresh.remove(c.name()) != null) { // first seen now: it started since the last sample
                b.addContainers(container(ContainerUsage.newBuilder().setName(c.name()).build(), c.stats(), elapsedSeconds));
            }
        }
        return b.build();
    }

    private static ContainerUsage container(ContainerUsage previous, SandboxStats sample, double elapsedSeconds) {
        return previous.toBuilder()
                .setCpuNanos(Math.max(previous.getCpuNanos(), sample.cpuNanos()))
                .setMemoryBytes(sample.memoryBytes())
                .setPeakMemoryBytes(Math.max(previous.getPeakMemoryBytes(), sample.memoryBytes()))
                .setMemoryHighWaterBytes(highWater(previous.getMemoryHighWaterBytes(), sample))
                .setMemoryByteSeconds(integrate(previous.getMemoryByteSeconds(), previous.getMemoryBytes(), sample.memoryBytes(), elapsedSeconds))
                .build();
    }

    private static long highWater(long previous, SandboxStats sample) {
        return Math.max(previous, Math.max(sample.memoryHighWaterBytes(), sample.memoryBytes()));
    }

    private static long integrate(long area, long memoryBefore, long memoryNow, double seconds) {
        long averageMemory = memoryBefore / 2 + memoryNow / 2;
        return saturatingAdd(area, Math.round(averageMemory * seconds));
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
