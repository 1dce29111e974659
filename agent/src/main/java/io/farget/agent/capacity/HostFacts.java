package io.farget.agent.capacity;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import io.farget.proto.v1.Resources;
import java.util.Map;

/**
 * What a node tells the scheduler about itself. {@code capacity} is what pods may use: the host's
 * size minus what the agent keeps back for the operating system and itself.
 */
public record HostFacts(String hostname, String os, Arch arch, Resources capacity, Map<String, String> labels, GpuInfo gpus) {
    public HostFacts {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        gpus = gpus == null ? GpuInfo.getDefaultInstance() : gpus;
    }

    /** Facts without labels or GPUs. */
    public HostFacts(String hostname, String os, Arch arch, Resources capacity) {
        this(hostname, os, arch, capacity, Map.of(), GpuInfo.getDefaultInstance());
    }

    /** These facts with the operator's labels and the GPUs found. */
    public HostFacts withPlacementAttributes(Map<String, String> nodeLabels, GpuInfo found) {
        return new HostFacts(hostname, os, arch, capacity, nodeLabels, found);
    }

    /** These facts with {@code reserve} taken off the capacity; no dimension goes below zero. */
    public HostFacts minusReserve(Resources reserve) {
        Resources left = ResourceMath.subtract(capacity, reserve);
        return new HostFacts(hostname, os, arch,
                ResourceMath.of(Math.max(0, left.getCpuMillis()), Math.max(0, left.getMemoryBytes())), labels, gpus);
    }

    /** These facts with each non-null override applied (hollow agents pretend to be other machines). */
    public HostFacts withOverrides(String hostnameOverride, Arch archOverride, Resources capacityOverride) {
        return new HostFacts(
                hostnameOverride != null ? hostnameOverride : hostname,
                os,
                archOverride != null ? archOverride : arch,
                capacityOverride != null ? capacityOverride : capacity, labels, gpus);
    }
}
