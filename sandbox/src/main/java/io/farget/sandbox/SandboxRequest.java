package io.farget.sandbox;

import io.farget.proto.v1.PodSpec;

/** What to start: the pod (already validated by the scheduler) and which launch attempt this is. */
public record SandboxRequest(String podId, int attempt, PodSpec spec) {}
