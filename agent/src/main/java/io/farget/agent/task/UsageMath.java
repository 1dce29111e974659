package io.farget.agent.task;

import io.farget.common.Timestamps;
import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodUsage;
import io.farget.sandbox.ContainerStats;
import io.farget.sandbox.SandboxStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
        // A pod has a handful of containers: scanning the list beats building a map per sample.
        boolean[] used = new boolean[containers.size()]; // the first of each name, once applied
        for (ContainerUsage before : previous.getContainersList()) {
            int i = firstNamed(containers, before.getName());
            boolean fresh = i >= 0 && !used[i];
            if (fresh) {
                used[i] = true;
            }
            b.addContainers(fresh ? container(before, containers.get(i).stats(), elapsedSeconds) : before);
        }
        for (int i = 0; i < containers.size(); i++) {
            ContainerStats c = containers.get(i);
            if (!used[i] && firstNamed(containers, c.name()) == i) { // first seen now: it started since the last sample
                used[i] = true;
                b.addContainers(container(ContainerUsage.newBuilder().setName(c.name()).build(), c.stats(), elapsedSeconds));
            }
        }
        return b.build();
    }

    /** The index of the first of {@code containers} named {@code name}; -1 when none is. */
    private static int firstNamed(List<ContainerStats> containers, String name) {
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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
