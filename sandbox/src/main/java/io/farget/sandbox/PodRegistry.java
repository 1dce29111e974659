package io.farget.sandbox;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods a {@link RuncRuntime} runs, by id, and the locks that make a start, an adoption and a
 * removal of one pod id take turns. The locks are striped by id, not kept per pod: a start must hold
 * one before its pod exists, and a fixed set never needs cleaning up. A pod's own state is guarded
 * by its monitor instead (see {@link RuncPod}); lookups take no lock at all.
 */
final class PodRegistry {
    private static final int LOCK_STRIPES = 64;

    private final Map<String, RuncPod> pods = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[LOCK_STRIPES];

    PodRegistry() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** The pod, or null for an id this runtime does not run. */
    RuncPod get(String podId) {
        return pods.get(podId);
    }

    boolean contains(String podId) {
        return pods.containsKey(podId);
    }

    /** Publishes a pod once it is fully started or adopted (caller holds {@link #lockFor} its id). */
    void put(RuncPod pod) {
        pods.put(pod.podId, pod);
    }

    /** The pod no longer known, or null (caller holds {@link #lockFor} its id). */
    RuncPod remove(String podId) {
        return pods.remove(podId);
    }

    /** A live view of every pod, for samplers that may miss one started meanwhile. */
    Collection<RuncPod> all() {
        return pods.values();
    }

    /** The lock that a start, an adoption and a removal of this pod id hold. */
    Object lockFor(String podId) {
        return locks[Math.floorMod(podId.hashCode(), LOCK_STRIPES)];
    }
}
