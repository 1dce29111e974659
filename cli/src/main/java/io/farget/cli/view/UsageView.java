package io.farget.cli.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One pod's usage and bill. {@code cpuSeconds}, {@code peakMemoryBytes} and
 * {@code memoryByteSeconds} are what it used; the billed figures are what it reserved times the
 * billed duration, as Fargate bills. Grouped answers (--by node|day|label) set {@code group} and
 * {@code podCount} and leave the per-pod fields null.
 */
public record UsageView(
        String podId,
        String podName,
        String node,
        String arch,
        BigDecimal cpuSeconds,
        long peakMemoryBytes,
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
        int podCount) {

    /** Column names of {@code -o csv}, in the order of {@link #csvRow()}. */
    public static final java.util.List<String> CSV_HEADER = java.util.List.of("podId", "podName", "group", "podCount", "node",
            "arch", "cpuSeconds", "peakMemoryBytes", "memoryByteSeconds", "reservedCpu", "reservedMemoryBytes",
            "billedSeconds", "billedVcpuSeconds", "billedGbSeconds", "cost", "currency", "startedAt", "finishedAt");

    public java.util.List<Object> csvRow() {
        return java.util.Arrays.asList(podId, podName, group, podCount, node, arch, cpuSeconds, peakMemoryBytes,
                memoryByteSeconds, reserved == null ? null : reserved.cpu(), reserved == null ? null : reserved.memoryBytes(),
                billedSeconds, billedVcpuSeconds, billedGbSeconds, cost, currency, startedAt, finishedAt);
    }
}
