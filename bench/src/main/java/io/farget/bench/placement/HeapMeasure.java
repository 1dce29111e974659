package io.farget.bench.placement;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained by a cluster snapshot (and the engine's working model of it): used heap after full
 * collections, before and after building it, with the inputs made beforehand. Every placed pod is
 * made of fresh objects (its id, its amounts, its GPU devices), as pods decoded from the store would
 * be: nothing is shared with the workload, so nothing is left uncounted.
 */
final class HeapMeasure {
    private HeapMeasure() {}

    /**
     * Bytes held by a snapshot of the workload's hosts carrying {@code placedPods} pods spread evenly
     * (the workload's pods, cycled; placed without a fit check, as only size matters here, but GPU pods
     * hold as many device numbers as they ask for), plus the working model built from it.
     */
    static long[] snapshotAndModel(ThroughputWorkload workload, int placedPods) {
        List<NodeView> hosts = workload.nodes();
        long base = usedAfterGc();
        List<List<PlacedPod>> perHost = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            perHost.add(new ArrayList<>());
        }
        for (int j = 0; j < placedPods; j++) {
            PendingPod pod = workload.pods().get(j % workload.pods().size());
            int host = j % hosts.size();
            GpuRequest gpu = hosts.get(host).gpuCount() >= pod.gpu().count() ? pod.gpu() : GpuRequest.NONE;
            int[] devices = new int[gpu.count()];
            for (int d = 0; d < devices.length; d++) {
                devices[d] = d;
            }
            Amounts a = pod.amounts();
            perHost.get(host).add(new PlacedPod(new String("placed-" + j), new Amounts(a.cpuMillis(), a.memoryBytes(),
                    a.diskBytes(), a.extended()), gpu, devices, pod.priority(), pod.labels()));
        }
        List<NodeView> nodes = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            NodeView n = hosts.get(i);
            nodes.add(new NodeView(new String(n.id()), n.arch(), n.labels(), n.capacity(), n.gpuCount(), n.gpuModel(),
                    n.condition(), perHost.get(i)));
        }
        perHost = null;
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
