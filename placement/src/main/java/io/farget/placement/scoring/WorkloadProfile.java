package io.farget.placement.scoring;

import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        record Key(long cpu, long memory, GpuRequest gpu, Set<String> models) {}
        Map<Key, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (PendingPod pod : pods) {
            total++;
            if (!pod.gpu().none()) {
                counts.merge(new Key(pod.cpuMillis(), pod.memoryBytes(), pod.gpu(), pod.gpuModels()), 1, Integer::sum);
            }
        }
        List<PodType> types = new ArrayList<>();
        for (Map.Entry<Key, Integer> e : counts.entrySet()) {
            Key k = e.getKey();
            types.add(new PodType(k.cpu(), k.memory(), k.gpu(), k.models(), (double) e.getValue() / total));
        }
        return new WorkloadProfile(types);
    }

    public boolean isEmpty() {
        return types.isEmpty();
    }
}
