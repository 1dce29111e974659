package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/**
 * Keeps a GPU host's CPU and memory in step with its GPUs: how evenly CPU, memory and GPU would fill
 * with the pod there (1 when they fill alike). A GPU host whose CPU or memory runs out before its GPUs
 * strands them: the pods that would use those GPUs fit nowhere there. The fragmentation gradient only
 * sees that once a pod type no longer fits; this sees it coming. A host without GPUs scores 1: it has
 * nothing to strand, so CPU-only pods are steered to it rather than to the CPU of GPU hosts.
 */
public final class GpuBalanceScorer implements Scorer {
    @Override
    public String name() {
        return "gpu-balance";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        if (host.gpuCount() == 0) {
            return 1;
        }
        double cpu = Fractions.cpuAfter(host, pod);
        double memory = Fractions.memoryAfter(host, pod);
        double gpu = Fractions.gpuAfter(host, pod);
        double mean = (cpu + memory + gpu) / 3;
        double variance = ((cpu - mean) * (cpu - mean) + (memory - mean) * (memory - mean) + (gpu - mean) * (gpu - mean)) / 3;
        return 1 - Math.min(1, 2 * Math.sqrt(variance));
    }
}
