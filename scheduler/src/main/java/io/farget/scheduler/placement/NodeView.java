package io.farget.scheduler.placement;

/**
 * What placement knows of one node: its size, what is already reserved there, and whether it takes
 * new pods at all. CPU in millicores, memory in bytes.
 */
public record NodeView(
        String id,
        Architecture arch,
        long capacityCpuMillis,
        long capacityMemoryBytes,
        long allocatedCpuMillis,
        long allocatedMemoryBytes,
        boolean schedulable) {

    public long freeCpuMillis() {
        return capacityCpuMillis - allocatedCpuMillis;
    }

    public long freeMemoryBytes() {
        return capacityMemoryBytes - allocatedMemoryBytes;
    }

    /** The same node with {@code pod} reserved on it. */
    NodeView withPod(PendingPod pod) {
        return new NodeView(id, arch, capacityCpuMillis, capacityMemoryBytes,
                allocatedCpuMillis + pod.cpuMillis(), allocatedMemoryBytes + pod.memoryBytes(), schedulable);
    }
}
