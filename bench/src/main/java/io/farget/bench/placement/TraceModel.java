package io.farget.bench.placement;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import java.util.List;
import java.util.Map;

/** Trace rows as placement's records. */
public final class TraceModel {
    private static final long MIB = 1L << 20;

    private TraceModel() {}

    public static NodeView node(TraceNode node, Architecture arch, Map<String, String> labels) {
        return new NodeView(node.name(), arch, labels, Amounts.of(node.cpuMillis(), node.memoryMib() * MIB),
                node.gpus(), node.model(), Condition.READY, List.of());
    }

    public static PendingPod pod(String id, TracePod pod, Architecture arch) {
        return new PendingPod(id, Amounts.of(pod.cpuMillis(), pod.memoryMib() * MIB), gpu(pod), arch, 0,
                Map.of(), List.of(), pod.gpuSpec(), null, List.of());
    }

    static GpuRequest gpu(TracePod pod) {
        if (pod.numGpu() == 0 || pod.gpuMilli() == 0) {
            return GpuRequest.NONE;
        }
        if (pod.numGpu() == 1) {
            return GpuRequest.share(pod.gpuMilli());
        }
        return GpuRequest.whole(pod.numGpu());
    }

}
