package io.farget.sandbox;

/** Cumulative cgroup counters of one pod: CPU time used, memory in use now, and its peak. */
public record SandboxStats(long cpuNanos, long memoryBytes, long peakMemoryBytes) {}
