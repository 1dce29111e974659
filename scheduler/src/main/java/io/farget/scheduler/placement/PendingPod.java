package io.farget.scheduler.placement;

/** A pod waiting for a node: its total size (CPU in millicores, memory in bytes) and architecture. */
public record PendingPod(String id, long cpuMillis, long memoryBytes, Architecture arch) {}
