package io.farget.placement.engine;

import io.farget.placement.model.PendingPod;
import java.util.List;

/**
 * Ranks a feasible host for a pod: a bounded score in 0..1, higher is better (the Kubernetes
 * framework's Score plugins, Fenzo's fitness functions). Must be cheap and free of side effects.
 */
public interface Scorer {
    String name();

    /**
     * @param devices the GPU devices the pod would take on this host (empty without GPUs)
     */
    double score(Host host, PendingPod pod, int[] devices);

    /**
     * True when the score depends only on what is free on the host and on the pod's requests (not on
     * its name, labels or the host's identity). The engine then keeps each host's score per pod shape
     * and re-scores a host only when it changes, instead of scoring every host for every pod.
     */
    default boolean stateOnly() {
        return false;
    }

    /** A scorer for one placement pass, given the cluster and the batch; most need nothing and return themselves. */
    default Scorer forPass(ClusterModel model, List<PendingPod> batch) {
        return this;
    }

    /**
     * The scorer for another pass over the same model, given the one this scorer made for the pass
     * before ({@code previous}; null at the first). Returns {@code previous} itself only when it
     * would score every host exactly as a new {@link #forPass} one would: a {@link Placer} keeps
     * the scores it holds across passes only then. By default a new one.
     */
    default Scorer nextPass(ClusterModel model, List<PendingPod> batch, Scorer previous) {
        return forPass(model, batch);
    }
}
