package io.farget.placement.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod waiting for a node: what it needs and where it may go.
 *
 * @param gpuModels   GPU models it accepts; empty means any
 * @param selectors   requirements on the node's labels, all of which must hold
 * @param spread      at most N replicas sharing a label per host; null for none
 * @param antiAffinity no pod on the chosen host may match all of these selectors; empty for none
 */
public record PendingPod(String id, Amounts amounts, GpuRequest gpu, Architecture arch, int priority,
                         Map<String, String> labels, List<LabelSelector> selectors, Set<String> gpuModels,
                         Spread spread, List<LabelSelector> antiAffinity) {
    public PendingPod {
        labels = Map.copyOf(labels);
        selectors = List.copyOf(selectors);
        gpuModels = Set.copyOf(gpuModels);
        antiAffinity = List.copyOf(antiAffinity);
    }

    /** A plain pod: CPU and memory, any node of the architecture. */
    public static PendingPod simple(String id, long cpuMillis, long memoryBytes, Architecture arch) {
        return new PendingPod(id, Amounts.of(cpuMillis, memoryBytes), GpuRequest.NONE, arch, 0,
                Map.of(), List.of(), Set.of(), null, List.of());
    }

    public PendingPod withGpu(GpuRequest request, Set<String> models) {
        return new PendingPod(id, amounts, request, arch, priority, labels, selectors, models, spread, antiAffinity);
    }

    public PendingPod withArch(Architecture newArch) {
        return new PendingPod(id, amounts, gpu, newArch, priority, labels, selectors, gpuModels, spread, antiAffinity);
    }

    public PendingPod withPriority(int newPriority) {
        return new PendingPod(id, amounts, gpu, arch, newPriority, labels, selectors, gpuModels, spread, antiAffinity);
    }

    public PendingPod withLabels(Map<String, String> newLabels) {
        return new PendingPod(id, amounts, gpu, arch, priority, newLabels, selectors, gpuModels, spread, antiAffinity);
    }

    public PendingPod withSelectors(List<LabelSelector> newSelectors) {
        return new PendingPod(id, amounts, gpu, arch, priority, labels, newSelectors, gpuModels, spread, antiAffinity);
    }

    public PendingPod withSpread(Spread newSpread) {
        return new PendingPod(id, amounts, gpu, arch, priority, labels, selectors, gpuModels, newSpread, antiAffinity);
    }

    public PendingPod withAntiAffinity(List<LabelSelector> newAntiAffinity) {
        return new PendingPod(id, amounts, gpu, arch, priority, labels, selectors, gpuModels, spread, newAntiAffinity);
    }

    public long cpuMillis() {
        return amounts.cpuMillis();
    }

    public long memoryBytes() {
        return amounts.memoryBytes();
    }
}
