package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/**
 * Best fit as the FGD paper defines its baseline: the host with the least weighted sum of CPU and
 * GPU left after placing (each as a fraction of the host's capacity) wins.
 */
public final class BestFitScorer implements Scorer {
    @Override
    public String name() {
        return "best-fit";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        double cpu = Fractions.cpuAfter(host, pod);
        double gpu = Fractions.gpuAfter(host, pod);
        return Double.isNaN(gpu) ? cpu : (cpu + gpu) / 2;
    }
}
