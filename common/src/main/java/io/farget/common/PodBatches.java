package io.farget.common;

/** Bounds of a CreatePods call, shared by the scheduler that enforces them and the clients that split work. */
public final class PodBatches {
    /**
     * Pods per CreatePods call: one call is one unit of leader work, stored before the answer; a
     * thousand pods of ordinary size keep the request and the answer far below gRPC's 4 MiB limit.
     */
    public static final int MAX_PODS = 1_000;

    private PodBatches() {}
}
