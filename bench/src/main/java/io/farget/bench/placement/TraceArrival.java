package io.farget.bench.placement;

/** A pod of a trace's pod list with when it was created and deleted, in seconds from the trace's start. */
public record TraceArrival(TracePod pod, long createdSecond, long deletedSecond) {
    /** How long the pod lived in the trace; never negative. */
    public long lifetimeSeconds() {
        return Math.max(0, deletedSecond - createdSecond);
    }
}
