package io.farget.cli.view;

import java.time.Instant;

/** A node as {@code nodes} shows it; {@code state} is READY, NOT_READY, DRAINING or DOWN. */
public record NodeView(
        String id,
        String hostname,
        String arch,
        String state,
        ResourcesView capacity,
        ResourcesView allocated,
        int podCount,
        String agentVersion,
        Instant lastHeartbeatAt) {}
