package io.farget.placement.scoring;

import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import java.util.List;
import java.util.Set;

/**
 * The GPU pods a cluster expects, as types with their share of arrivals: what fragmentation is
 * measured against (a free GPU slice no expected pod can use is a fragment). Pods without GPUs are
 * left out: they use no GPU, so they shift every host's fragmentation alike.
 */
public record WorkloadProfile(List<PodType> types) {
    /** One kind of GPU pod and its probability among arrivals. */
    public record PodType(long cpuMillis, long memoryBytes, GpuRequest gpu, Set<String> gpuModels, double weight) {}

    public WorkloadProfile {
        types = List.copyOf(types);
    }

    /** The profile of {@code pods}, each pod one arrival. */
    public static WorkloadProfile of(List<PendingPod> pods) {
        ArrivalCounts counts = new ArrivalCounts();
        pods.forEach(counts::add);
        return counts.profile();
    }

    public boolean isEmpty() {
        return types.isEmpty();
    }
}
