package io.farget.placement.engine;

import io.farget.placement.model.Condition;
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
        int[] counts = new int[Rejection.values().length];
        boolean permanentEverywhere = hosts.length > 0;
        for (Host host : hosts) {
            Rejection first = Feasibility.staticRejection(host, pod);
            // The kind of host (architecture, labels, model, size) whatever its condition: a cordoned host may return.
            Rejection kind = host.condition() == Condition.READY ? first : Feasibility.kindRejection(host, pod);
            if (kind == null) {
                permanentEverywhere = false;
            }
            if (first != null && first != Rejection.TOO_SMALL) {
                counts[first.ordinal()]++;
            } else {
                // Too small even empty: name the dimensions (free never exceeds capacity, so they are among these).
                Feasibility.currentRejections(host, pod, cause -> counts[cause.ordinal()]++);
            }
        }
        Map<Rejection, Integer> byCause = new EnumMap<>(Rejection.class);
        for (Rejection cause : Rejection.values()) {
            if (counts[cause.ordinal()] > 0) {
                byCause.put(cause, counts[cause.ordinal()]);
            }
        }
        return new Explanation(hosts.length, byCause, permanentEverywhere);
    }
}
