package io.farget.scheduler.control;

import io.farget.proto.v1.PodSpec;

/** A pod a client asked for: its validated spec and the client's request id (empty: no retry protection). */
public record NewPod(PodSpec spec, String requestId) {}
