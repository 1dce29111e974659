package io.farget.placement.scoring;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fragmentation gradient (Weng et al., ATC '23, "FGD"): a host's GPU fragmentation is the expected
 * free GPU milli that the next pod, drawn from the workload profile, could not use there (all of it
 * when the pod does not fit at all; otherwise the devices with less free than its share). The best
 * host is the one whose fragmentation grows least with the pod placed. Scores are bounded:
 * 0.5 minus the growth over {@value #SCALE} milli.
 *
 * <p>A host's fragmentation depends only on its free CPU, memory, GPU model and free GPU slices
 * (as a multiset), so values are memoised on that state: most hosts look alike.
 */
public final class FragmentationScorer implements Scorer {
    private static final double SCALE = 16_000;
    private static final int MEMO_LIMIT = 1 << 20;

    private final WorkloadProfile fixed;
    private final WorkloadProfile profile;
    private final Map<StateKey, Double> memo = new HashMap<>();

    /** With {@code profile} null, each pass learns it from the pods it sees (placed and pending). */
    public FragmentationScorer(WorkloadProfile profile) {
        this.fixed = profile;
        this.profile = profile;
    }

    @Override
    public String name() {
        return "fragmentation";
    }

    @Override
    public Scorer forPass(ClusterModel model, List<PendingPod> batch) {
        if (fixed != null) {
            return new FragmentationScorer(fixed);
        }
        List<PendingPod> seen = new ArrayList<>(batch);
        for (Host host : model.hosts()) {
            for (PlacedPod p : host.pods()) {
                if (!p.gpu().none()) {
                    seen.add(new PendingPod(p.id(), p.amounts(), p.gpu(), io.farget.placement.model.Architecture.ANY,
                            0, Map.of(), List.of(), java.util.Set.of(), null, List.of()));
                }
            }
        }
        return new FragmentationScorer(WorkloadProfile.of(seen));
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        if (profile == null || profile.isEmpty() || host.gpuCount() == 0) {
            return 0.5;
        }
        int[] before = new int[host.gpuCount()];
        for (int d = 0; d < before.length; d++) {
            before[d] = host.gpuFree(d);
        }
        int[] after = before.clone();
        for (int d : devices) {
            after[d] -= pod.gpu().milliEach();
        }
        double growth = fragmentation(host.freeCpuMillis() - pod.cpuMillis(), host.freeMemoryBytes() - pod.memoryBytes(),
                host.gpuModel(), after)
                - fragmentation(host.freeCpuMillis(), host.freeMemoryBytes(), host.gpuModel(), before);
        return Math.max(0, Math.min(1, 0.5 - growth / SCALE));
    }

    /** Expected free GPU milli the next pod of the profile could not use on a host in this state. */
    double fragmentation(long freeCpu, long freeMemory, String model, int[] gpuFree) {
        int[] sorted = gpuFree.clone();
        Arrays.sort(sorted);
        StateKey key = new StateKey(freeCpu, freeMemory, model, sorted);
        Double known = memo.get(key);
        if (known != null) {
            return known;
        }
        double value = compute(freeCpu, freeMemory, model, sorted);
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(key, value);
        return value;
    }

    private double compute(long freeCpu, long freeMemory, String model, int[] sorted) {
        long total = 0;
        int whole = 0;
        int max = 0;
        for (int f : sorted) {
            total += f;
            if (f == GpuRequest.WHOLE) {
                whole++;
            }
            max = Math.max(max, f);
        }
        if (total == 0) {
            return 0;
        }
        double expected = 0;
        for (WorkloadProfile.PodType type : profile.types()) {
            GpuRequest gpu = type.gpu();
            boolean fits = type.cpuMillis() <= freeCpu && type.memoryBytes() <= freeMemory
                    && (type.gpuModels().isEmpty() || type.gpuModels().contains(model))
                    && (gpu.fractional() ? max >= gpu.milliEach() : whole >= gpu.count());
            long fragment;
            if (!fits) {
                fragment = total;
            } else {
                fragment = 0;
                for (int f : sorted) {
                    if (f < gpu.milliEach()) {
                        fragment += f;
                    }
                }
            }
            expected += type.weight() * fragment;
        }
        return expected;
    }

    private record StateKey(long cpu, long memory, String model, int[] gpus) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && cpu == k.cpu && memory == k.memory && model.equals(k.model)
                    && Arrays.equals(gpus, k.gpus);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(cpu) * 31 + Long.hashCode(memory)) * 31 + Arrays.hashCode(gpus) + model.hashCode();
        }
    }
}
