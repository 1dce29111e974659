package io.farget.cli.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A pod as {@code get} and {@code ps} show it. Absent values are null, never empty strings. */
public record PodView(
        String id,
        String name,
        String phase,
        String node,
        String ip,
        String reason,
        Integer exitCode,
        Instant createdAt,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        ResourcesView resources,
        String arch,
        String restart,
        Map<String, String> labels,
        int attempt,
        List<ContainerView> initContainers,
        List<ContainerView> containers) {}
