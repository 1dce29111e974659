package io.farget.agent.task;

import io.farget.common.Arches;
import io.farget.common.Quantities;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this node takes a pod: its architecture must match and its size must fit into what the
 * pods already here leave free. Pure; the scheduler checks the same, this guards against a stale view.
 */
public final class Admission {
    private Admission() {}

    /** Why the node refuses the pod, or empty when it takes it. */
    public static Optional<String> refusal(String nodeId, Arch nodeArch, Resources capacity, Resources allocated, PodSpec spec) {
        if (!Arches.compatible(spec.getArch(), nodeArch)) {
            return Optional.of("node " + nodeId + " refused: pod needs " + Arches.name(spec.getArch())
                    + ", node is " + Arches.name(nodeArch));
        }
        Resources needed = ResourceMath.podSize(spec);
        Resources free = ResourceMath.subtract(capacity, allocated);
        List<String> shortages = new ArrayList<>();
        if (needed.getCpuMillis() > free.getCpuMillis()) {
            shortages.add("needs " + Quantities.formatCores(needed.getCpuMillis()) + " CPU, "
                    + Quantities.formatCores(Math.max(0, free.getCpuMillis())) + " free");
        }
        if (needed.getMemoryBytes() > free.getMemoryBytes()) {
            shortages.add("needs " + Quantities.formatBytes(needed.getMemoryBytes()) + " memory, "
                    + Quantities.formatBytes(Math.max(0, free.getMemoryBytes())) + " free");
        }
        return shortages.isEmpty()
                ? Optional.empty()
                : Optional.of("node " + nodeId + " refused: " + String.join("; ", shortages));
    }
}
