package io.farget.agent.capacity;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Resources;

/**
 * What a node tells the scheduler about itself. {@code capacity} is what pods may use: the host's
 * size minus what the agent keeps back for the operating system and itself.
 */
public record HostFacts(String hostname, String os, Arch arch, Resources capacity) {

    /** These facts with {@code reserve} taken off the capacity; no dimension goes below zero. */
    public HostFacts minusReserve(Resources reserve) {
        Resources left = ResourceMath.subtract(capacity, reserve);
        return new HostFacts(hostname, os, arch,
                ResourceMath.of(Math.max(0, left.getCpuMillis()), Math.max(0, left.getMemoryBytes())));
    }

    /** These facts with each non-null override applied (hollow agents pretend to be other machines). */
    public HostFacts withOverrides(String hostnameOverride, Arch archOverride, Resources capacityOverride) {
        return new HostFacts(
                hostnameOverride != null ? hostnameOverride : hostname,
                os,
                archOverride != null ? archOverride : arch,
                capacityOverride != null ? capacityOverride : capacity);
    }
}
