package io.farget.sandbox;

/**
 * Cumulative cgroup counters of one pod or container.
 *
 * @param cpuNanos             CPU time used
 * @param memoryBytes          working set now: memory in use minus inactive page cache (Kubernetes' measure)
 * @param memoryHighWaterBytes the kernel's high-water mark of all charged memory, page cache and
 *                             short spikes included: what a memory limit must hold
 */
public record SandboxStats(long cpuNanos, long memoryBytes, long memoryHighWaterBytes) {}
