package io.farget.scheduler.plan;

import io.farget.common.ResourceMath;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Translates stored pods and nodes into placement's own plain records; placement sees no protos. */
final class PlacementInputs {
    private PlacementInputs() {}

    /** The node with the pods active on it; {@code connected} false makes it not ready whatever it reported. */
    static NodeView node(Node node, List<Pod> active, boolean connected) {
        return new NodeView(node.getId(), architecture(node.getArch()), Map.of(),
                Amounts.of(node.getCapacity().getCpuMillis(), node.getCapacity().getMemoryBytes()), 0, "",
                connected ? condition(node.getState()) : Condition.NOT_READY,
                active.stream().map(PlacementInputs::placed).toList());
    }

    static PendingPod pod(Pod pod) {
        Resources size = ResourceMath.podSize(pod.getSpec());
        return new PendingPod(pod.getId(), Amounts.of(size.getCpuMillis(), size.getMemoryBytes()), GpuRequest.NONE,
                architecture(pod.getSpec().getArch()), 0, pod.getSpec().getLabelsMap(), List.of(), Set.of(), null, List.of());
    }

    private static PlacedPod placed(Pod pod) {
        Resources size = ResourceMath.podSize(pod.getSpec());
        return new PlacedPod(pod.getId(), Amounts.of(size.getCpuMillis(), size.getMemoryBytes()), GpuRequest.NONE,
                new int[0], 0, pod.getSpec().getLabelsMap());
    }

    static Condition condition(NodeState state) {
        return switch (state) {
            case NODE_STATE_READY -> Condition.READY;
            case NODE_STATE_DRAINING -> Condition.DRAINING;
            default -> Condition.NOT_READY;
        };
    }

    static Architecture architecture(Arch arch) {
        return switch (arch) {
            case ARCH_X86_64 -> Architecture.X86_64;
            case ARCH_AARCH64 -> Architecture.AARCH64;
            case ARCH_ANY, ARCH_UNSPECIFIED, UNRECOGNIZED -> Architecture.ANY;
        };
    }
}
