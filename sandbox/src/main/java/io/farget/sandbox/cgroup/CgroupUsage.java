package io.farget.sandbox.cgroup;

/**
 * One reading of a pod's (or container's) cgroup counters.
 *
 * @param cpuNanos         CPU time used since the cgroup was created
 * @param memoryBytes      all memory charged now, page cache included
 * @param peakMemoryBytes  the kernel's high-water mark of {@code memoryBytes}: short start-up spikes
 *                         and page cache included, what a memory limit must hold
 * @param oomKills         processes the kernel's OOM killer ended inside it: more than zero means the
 *                         memory limit, not the program, chose the exit
 * @param workingSetBytes  memory in use minus the inactive page cache the kernel can drop at once,
 *                         as Kubernetes and cAdvisor count it: what the processes really hold now
 */
public record CgroupUsage(long cpuNanos, long memoryBytes, long peakMemoryBytes, long oomKills, long workingSetBytes) {

    /** A reading without page cache facts: the working set is everything charged. */
    public CgroupUsage(long cpuNanos, long memoryBytes, long peakMemoryBytes, long oomKills) {
        this(cpuNanos, memoryBytes, peakMemoryBytes, oomKills, memoryBytes);
    }

    public boolean oomKilled() {
        return oomKills > 0;
    }

    /** {@code charged} minus {@code inactiveFile}, never below zero (the two files are read at slightly different moments). */
    static long workingSet(long charged, long inactiveFile) {
        return Math.max(0, charged - inactiveFile);
    }
}
