package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/**
 * Kubernetes' MostAllocated: the mean fraction in use after placing, over CPU and memory, and GPUs
 * when the pod asks for them. Packs hosts full so whole hosts stay free.
 */
public final class MostAllocatedScorer implements Scorer {
    @Override
    public String name() {
        return "most-allocated";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        double sum = Fractions.cpuAfter(host, pod) + Fractions.memoryAfter(host, pod);
        if (pod.gpu().none()) {
            return sum / 2;
        }
        return (sum + Fractions.gpuAfter(host, pod)) / 3;
    }
}
