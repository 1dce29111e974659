package io.farget.scheduler.placement;

/** The decision to run one pod on one node. */
public record Assignment(String podId, String nodeId) {}
