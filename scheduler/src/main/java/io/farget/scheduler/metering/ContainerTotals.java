package io.farget.scheduler.metering;

import io.farget.proto.v1.ContainerUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-container usage of a pod over its attempts, pure: each attempt's counters are cumulative for
 * that attempt, so CPU and memory-time add up across attempts while peaks take the highest. Order is
 * first seen, which is the pod spec's.
 */
final class ContainerTotals {
    private final Map<String, ContainerUsage> byName = new LinkedHashMap<>();

    void add(List<ContainerUsage> attempt) {
        for (ContainerUsage c : attempt) {
            byName.merge(c.getName(), c, ContainerTotals::plus);
        }
    }

    List<ContainerUsage> totals() {
        return new ArrayList<>(byName.values());
    }

    static ContainerUsage plus(ContainerUsage a, ContainerUsage b) {
        return a.toBuilder()
                .setCpuNanos(a.getCpuNanos() + b.getCpuNanos())
                .setMemoryBytes(b.getMemoryBytes())
                .setPeakMemoryBytes(Math.max(a.getPeakMemoryBytes(), b.getPeakMemoryBytes()))
                .setMemoryHighWaterBytes(Math.max(a.getMemoryHighWaterBytes(), b.getMemoryHighWaterBytes()))
                .setMemoryByteSeconds(a.getMemoryByteSeconds() + b.getMemoryByteSeconds())
                .build();
    }
}
