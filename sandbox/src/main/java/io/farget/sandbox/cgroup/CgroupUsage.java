package io.farget.sandbox.cgroup;

/**
 * One reading of a pod's cgroup counters. {@code oomKills} counts the processes the kernel's OOM killer
 * ended inside it: more than zero means the memory limit, not the program, chose the exit.
 */
public record CgroupUsage(long cpuNanos, long memoryBytes, long peakMemoryBytes, long oomKills) {

    public boolean oomKilled() {
        return oomKills > 0;
    }
}
