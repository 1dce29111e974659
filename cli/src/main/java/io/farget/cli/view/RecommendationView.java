package io.farget.cli.view;

import java.math.BigDecimal;

/**
 * Right-sizing for one pod (or the pods sharing a label value): what it asked for, what it did
 * (p95 CPU in cores, peak working set, and the kernel's high-water mark the suggested memory is
 * sized from), the size to ask for instead, and the monthly saving at the
 * rate card (negative when the pod must grow because it was throttled or OOM-killed).
 */
public record RecommendationView(
        String key,
        int pods,
        ResourcesView requested,
        BigDecimal p95Cpu,
        long peakMemoryBytes,
        long memoryHighWaterBytes,
        ResourcesView suggested,
        boolean throttled,
        boolean oomKilled,
        BigDecimal monthlySaving,
        String reason) {}
