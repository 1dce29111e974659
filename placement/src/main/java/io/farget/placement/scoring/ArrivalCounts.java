package io.farget.placement.scoring;

import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods seen, counted by GPU pod type in the order each type was first seen, and in all: what a
 * {@link WorkloadProfile} is made of. Pods without GPUs count only in the total. Counts can be
 * joined ({@link #addAll}), so a part that rarely changes (the pods placed) is counted once and
 * reused; joined counts make the very profile that counting every pod in that order makes.
 */
final class ArrivalCounts {
    private record Type(long cpu, long memory, GpuRequest gpu, Set<String> models) {}

    private final Map<Type, Integer> counts = new LinkedHashMap<>();
    private int total;

    void add(PendingPod pod) {
        add(pod.cpuMillis(), pod.memoryBytes(), pod.gpu(), pod.gpuModels());
    }

    void add(long cpuMillis, long memoryBytes, GpuRequest gpu, Set<String> gpuModels) {
        total++;
        if (!gpu.none()) {
            counts.merge(new Type(cpuMillis, memoryBytes, gpu, gpuModels), 1, Integer::sum);
        }
    }

    /** Counts every pod {@code later} counted, as if each were seen after the pods counted here. */
    void addAll(ArrivalCounts later) {
        total += later.total;
        later.counts.forEach((type, n) -> counts.merge(type, n, Integer::sum));
    }

    /** Each GPU pod type with its share of every pod seen. */
    WorkloadProfile profile() {
        List<WorkloadProfile.PodType> types = new ArrayList<>(counts.size());
        for (Map.Entry<Type, Integer> e : counts.entrySet()) {
            Type t = e.getKey();
            types.add(new WorkloadProfile.PodType(t.cpu(), t.memory(), t.gpu(), t.models(), (double) e.getValue() / total));
        }
        return new WorkloadProfile(types);
    }
}
