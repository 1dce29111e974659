package io.farget.bench.placement;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Heap retained by a cluster snapshot (and the engine's working model of it), as used heap after full collections. */
final class HeapMeasure {
    private HeapMeasure() {}

    /**
     * Bytes held by a snapshot of the workload's hosts carrying {@code placedPods} pods spread evenly
     * (the workload's pods, cycled, with their labels; placed without a fit check, as only size matters here),
     * plus the working model built from it.
     */
    static long[] snapshotAndModel(ThroughputWorkload workload, int placedPods) {
        long base = usedAfterGc();
        List<NodeView> hosts = workload.nodes();
        List<List<PlacedPod>> perHost = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            perHost.add(new ArrayList<>());
        }
        for (int j = 0; j < placedPods; j++) {
            PendingPod pod = workload.pods().get(j % workload.pods().size());
            perHost.get(j % hosts.size()).add(new PlacedPod("placed-" + j, pod.amounts(), io.farget.placement.model.GpuRequest.NONE,
                    new int[0], pod.priority(), pod.labels()));
        }
        List<NodeView> nodes = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            NodeView n = hosts.get(i);
            nodes.add(new NodeView(n.id(), n.arch(), n.labels(), n.capacity(), n.gpuCount(), n.gpuModel(), n.condition(), perHost.get(i)));
        }
        perHost.clear();
        ClusterSnapshot snapshot = new ClusterSnapshot(nodes);
        nodes = null;
        long withSnapshot = usedAfterGc();
        ClusterModel model = new ClusterModel(snapshot, 0);
        long withModel = usedAfterGc();
        long[] out = {withSnapshot - base, withModel - withSnapshot};
        if (model.size() != snapshot.nodes().size()) {
            throw new IllegalStateException("model lost hosts"); // also keeps both reachable until measured
        }
        return out;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
