package io.farget.bench.cluster;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Resources;

/** What one hollow agent pretends to be: a host name, an architecture and what pods may use. */
public record HostShape(String hostname, Arch arch, Resources capacity) {}
