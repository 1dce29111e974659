package io.farget.scheduler.plan;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.placement.Architecture;
import io.farget.scheduler.placement.NodeView;
import io.farget.scheduler.placement.PendingPod;

/** Translates stored pods and nodes into placement's own plain records; placement sees no protos. */
final class PlacementInputs {
    private PlacementInputs() {}

    static NodeView node(Node node, Resources allocated, boolean schedulable) {
        return new NodeView(node.getId(), architecture(node.getArch()),
                node.getCapacity().getCpuMillis(), node.getCapacity().getMemoryBytes(),
                allocated.getCpuMillis(), allocated.getMemoryBytes(), schedulable);
    }

    static PendingPod pod(Pod pod) {
        Resources size = ResourceMath.podSize(pod.getSpec());
        return new PendingPod(pod.getId(), size.getCpuMillis(), size.getMemoryBytes(), architecture(pod.getSpec().getArch()));
    }

    static Architecture architecture(Arch arch) {
        return switch (arch) {
            case ARCH_X86_64 -> Architecture.X86_64;
            case ARCH_AARCH64 -> Architecture.AARCH64;
            case ARCH_ANY, ARCH_UNSPECIFIED, UNRECOGNIZED -> Architecture.ANY;
        };
    }
}
