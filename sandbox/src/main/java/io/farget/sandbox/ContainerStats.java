package io.farget.sandbox;

/** The counters of one container's own cgroup, below its pod's. */
public record ContainerStats(String name, SandboxStats stats) {}
