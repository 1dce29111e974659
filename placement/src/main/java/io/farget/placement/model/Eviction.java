package io.farget.placement.model;

/** Preemption: evict {@code victimPodId} from {@code nodeId} (it goes back to pending) to make room for {@code forPodId}. */
public record Eviction(String victimPodId, String nodeId, String forPodId) {}
