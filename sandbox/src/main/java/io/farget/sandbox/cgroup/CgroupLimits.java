package io.farget.sandbox.cgroup;

/**
 * Limits written into a cgroup by hand: a pod's cgroup, which runc only creates as the parent of its
 * containers' cgroups and never limits. CPU in millicores, memory in bytes, processes in count.
 */
public record CgroupLimits(long cpuMillis, long memoryBytes, long pids) {
    public static final long CPU_PERIOD_MICROS = 100_000;
    /** The kernel refuses CFS quotas below one millisecond. */
    static final long MIN_CPU_QUOTA_MICROS = 1_000;

    /** CPU quota per {@link #CPU_PERIOD_MICROS} for a limit in millicores. */
    public static long cpuQuotaMicros(long cpuMillis) {
        return Math.max(MIN_CPU_QUOTA_MICROS, cpuMillis * CPU_PERIOD_MICROS / 1000);
    }

    public long cpuQuotaMicros() {
        return cpuQuotaMicros(cpuMillis);
    }
}
