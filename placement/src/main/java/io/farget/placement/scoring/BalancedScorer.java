package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/** Balanced: hosts whose CPU and memory (and GPU) fill evenly score high, so no dimension strands the others. */
public final class BalancedScorer implements Scorer {
    @Override
    public String name() {
        return "balanced";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        double cpu = Fractions.cpuAfter(host, pod);
        double memory = Fractions.memoryAfter(host, pod);
        double gpu = Fractions.gpuAfter(host, pod);
        if (Double.isNaN(gpu)) {
            return 1 - Math.abs(cpu - memory);
        }
        double mean = (cpu + memory + gpu) / 3;
        double variance = ((cpu - mean) * (cpu - mean) + (memory - mean) * (memory - mean) + (gpu - mean) * (gpu - mean)) / 3;
        return 1 - Math.min(1, 2 * Math.sqrt(variance));
    }
}
