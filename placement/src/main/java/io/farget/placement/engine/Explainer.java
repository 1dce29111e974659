package io.farget.placement.engine;

import io.farget.placement.model.Explanation;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Rejection;
import java.util.EnumMap;
import java.util.Map;

/**
 * Says why a pod fits nowhere: every host's causes, counted, and whether waiting can help (it
 * cannot when each host is the wrong kind or too small even empty). Only runs for pods that
 * failed, so it may look at every host.
 */
final class Explainer {
    private Explainer() {}

    static Explanation explain(Host[] hosts, PendingPod pod) {
        Map<Rejection, Integer> counts = new EnumMap<>(Rejection.class);
        boolean permanentEverywhere = hosts.length > 0;
        for (Host host : hosts) {
            Rejection kind = Feasibility.kindRejection(host, pod);
            if (kind == null) {
                permanentEverywhere = false;
            }
            Rejection first = Feasibility.staticRejection(host, pod);
            if (first != null && first != Rejection.TOO_SMALL) {
                counts.merge(first, 1, Integer::sum);
            } else {
                // Too small even empty: name the dimensions (free never exceeds capacity, so they are among these).
                Feasibility.currentRejections(host, pod, cause -> counts.merge(cause, 1, Integer::sum));
            }
        }
        return new Explanation(hosts.length, counts, permanentEverywhere);
    }
}
