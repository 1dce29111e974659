package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;

/** Spread: the emptier the host stays, the better (Kubernetes' LeastAllocated). */
public final class LeastAllocatedScorer implements Scorer {
    private final MostAllocatedScorer most = new MostAllocatedScorer();

    @Override
    public String name() {
        return "spread";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        return 1 - most.score(host, pod, devices);
    }
}
