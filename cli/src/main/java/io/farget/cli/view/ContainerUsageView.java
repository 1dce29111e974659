package io.farget.cli.view;

import java.math.BigDecimal;

/**
 * What one container of a pod used, from its own cgroup: CPU seconds, the peak of its sampled
 * working set, the kernel's high-water mark, and memory-time. Its pod's billed figures cover it.
 */
public record ContainerUsageView(
        String name,
        BigDecimal cpuSeconds,
        long peakMemoryBytes,
        long memoryHighWaterBytes,
        long memoryByteSeconds) {}
