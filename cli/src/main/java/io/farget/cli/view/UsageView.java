package io.farget.cli.view;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One pod's usage and bill. {@code cpuSeconds}, {@code peakMemoryBytes} and
 * {@code memoryByteSeconds} are what it used; the billed figures are what it reserved times the
 * billed duration, as Fargate bills.
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
        Instant finishedAt) {}
