package io.farget.bench.placement;

import io.farget.placement.model.Architecture;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A realistic mix for the throughput benchmark: hosts cycled from a trace node list, 70 % x86_64
 * and 30 % aarch64 in three zones; pods cycled from a trace pod list, 60 % any architecture, 30 %
 * x86_64, 10 % aarch64, one in five restricted to two zones, GPU models as the trace asks.
 */
public record ThroughputWorkload(List<NodeView> nodes, List<PendingPod> pods, List<TraceNode> traceNodes, List<TracePod> tracePods) {
    public static ThroughputWorkload of(List<TraceNode> traceNodes, List<TracePod> tracePods, int hosts, int podCount) {
        List<NodeView> nodes = new ArrayList<>(hosts);
        List<TraceNode> hostRows = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            TraceNode row = traceNodes.get(i % traceNodes.size());
            TraceNode named = new TraceNode("host-" + i, row.cpuMillis(), row.memoryMib(), row.gpus(), row.model());
            hostRows.add(named);
            nodes.add(TraceModel.node(named, hostArch(i), Map.of("zone", zone(i))));
        }
        List<PendingPod> pods = new ArrayList<>(podCount);
        List<TracePod> podRows = new ArrayList<>(podCount);
        for (int j = 0; j < podCount; j++) {
            TracePod row = tracePods.get(j % tracePods.size());
            podRows.add(row);
            PendingPod pod = TraceModel.pod("pod-" + j, row, podArch(j));
            if (j % 5 == 0) {
                pod = pod.withSelectors(List.of(zoneSelector()));
            }
            pods.add(pod);
        }
        return new ThroughputWorkload(nodes, pods, hostRows, podRows);
    }

    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(nodes);
    }

    static Architecture hostArch(int i) {
        return i % 10 < 7 ? Architecture.X86_64 : Architecture.AARCH64;
    }

    static Architecture podArch(int j) {
        int k = j % 10;
        return k < 6 ? Architecture.ANY : k < 9 ? Architecture.X86_64 : Architecture.AARCH64;
    }

    static String zone(int i) {
        return "z" + (i % 3);
    }

    static boolean restricted(int j) {
        return j % 5 == 0;
    }

    static Set<String> allowedZones() {
        return Set.of("z0", "z1");
    }

    private static LabelSelector zoneSelector() {
        return new LabelSelector("zone", LabelSelector.Operator.IN, allowedZones());
    }
}
