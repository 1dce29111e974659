package io.farget.bench.cluster;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import io.farget.proto.v1.Resources;

/** What one hollow agent pretends to be: a host name, an architecture, what pods may use and its GPUs (none: count 0). */
public record HostShape(String hostname, Arch arch, Resources capacity, GpuInfo gpus) {}
