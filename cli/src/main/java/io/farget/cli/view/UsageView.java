package io.farget.cli.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One pod's usage and bill. {@code cpuSeconds}, {@code peakMemoryBytes} (the peak of its sampled
 * working set: memory in use minus inactive page cache) and {@code memoryByteSeconds} are what it
 * used; {@code memoryHighWaterBytes} is the kernel's high-water mark, spikes and page cache included,
 * what its memory limit had to hold. The billed figures are what it reserved times the billed
 * duration, as Fargate bills. Grouped answers (--by node|day|label) set {@code group} and
 * {@code podCount} and leave the per-pod fields null; {@code containers} is per container of one pod,
 * over its whole attempts (empty for groups and time windows).
 */
public record UsageView(
        String podId,
        String podName,
        String node,
        String arch,
        BigDecimal cpuSeconds,
        long peakMemoryBytes,
        long memoryHighWaterBytes,
        long memoryByteSeconds,
        ResourcesView reserved,
        long billedSeconds,
        BigDecimal billedVcpuSeconds,
        BigDecimal billedGbSeconds,
        BigDecimal cost,
        String currency,
        Instant startedAt,
        Instant finishedAt,
        String group,
        int podCount,
        java.util.List<ContainerUsageView> containers) {

    /** Column names of {@code -o csv}, in the order of {@link #csvRow()}. */
    public static final java.util.List<String> CSV_HEADER = java.util.List.of("podId", "podName", "group", "podCount", "node",
            "arch", "cpuSeconds", "peakMemoryBytes", "memoryHighWaterBytes", "memoryByteSeconds", "reservedCpu", "reservedMemoryBytes",
            "billedSeconds", "billedVcpuSeconds", "billedGbSeconds", "cost", "currency", "startedAt", "finishedAt");

    public java.util.List<Object> csvRow() {
        return java.util.Arrays.asList(podId, podName, group, podCount, node, arch, cpuSeconds, peakMemoryBytes,
                memoryHighWaterBytes, memoryByteSeconds, reserved == null ? null : reserved.cpu(), reserved == null ? null : reserved.memoryBytes(),
                billedSeconds, billedVcpuSeconds, billedGbSeconds, cost, currency, startedAt, finishedAt);
    }
}
