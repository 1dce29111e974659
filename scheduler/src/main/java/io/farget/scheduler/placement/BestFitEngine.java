package io.farget.scheduler.placement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Best fit: each pod goes to the feasible node that it leaves fullest (mean of the CPU and memory
 * fractions in use after placing it), ties broken by node id so the same inputs always give the
 * same plan. Packing tightly keeps whole nodes free for big pods.
 *
 * <p>Cheap filters run first (ready, architecture), then the resource fit. The engine keeps its own
 * working copy of the nodes and updates it as it places the batch.
 */
public final class BestFitEngine implements PlacementEngine {

    @Override
    public Plan place(ClusterSnapshot snapshot, List<PendingPod> pods) {
        Map<String, NodeView> working = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (NodeView node : snapshot.nodes()) {
            working.put(node.id(), node);
            order.add(node.id());
        }
        order.sort(null);

        List<Assignment> assignments = new ArrayList<>();
        Map<String, Explanation> unplaced = new HashMap<>();
        // Nodes only fill up during a batch, so a pod shape that found no node will find none again:
        // skip the scan and reuse the first such pod's explanation. Keeps big pending backlogs cheap.
        Map<Shape, Explanation> hopeless = new HashMap<>();
        for (PendingPod pod : pods) {
            Shape shape = new Shape(pod.cpuMillis(), pod.memoryBytes(), pod.arch());
            Explanation known = hopeless.get(shape);
            if (known != null) {
                unplaced.put(pod.id(), known);
                continue;
            }
            NodeView best = null;
            double bestScore = -1;
            Map<Rejection, Integer> rejections = new EnumMap<>(Rejection.class);
            for (String id : order) {
                NodeView node = working.get(id);
                List<Rejection> reasons = rejections(node, pod);
                if (!reasons.isEmpty()) {
                    reasons.forEach(r -> rejections.merge(r, 1, Integer::sum));
                    continue;
                }
                double score = fullnessAfter(node, pod);
                if (score > bestScore) { // strictly greater: the lowest id wins a tie
                    best = node;
                    bestScore = score;
                }
            }
            if (best == null) {
                Explanation why = new Explanation(order.size(), rejections, neverFits(snapshot.nodes(), pod));
                hopeless.put(shape, why);
                unplaced.put(pod.id(), why);
            } else {
                working.put(best.id(), best.withPod(pod));
                assignments.add(new Assignment(pod.id(), best.id()));
            }
        }
        return new Plan(assignments, unplaced);
    }

    /** Every cause that stops {@code node} taking {@code pod} now; empty when it fits. */
    static List<Rejection> rejections(NodeView node, PendingPod pod) {
        if (!node.schedulable()) {
            return List.of(Rejection.NOT_READY);
        }
        if (!pod.arch().runsOn(node.arch())) {
            return List.of(Rejection.WRONG_ARCHITECTURE);
        }
        List<Rejection> reasons = new ArrayList<>(2);
        if (pod.cpuMillis() > node.freeCpuMillis()) {
            reasons.add(Rejection.INSUFFICIENT_CPU);
        }
        if (pod.memoryBytes() > node.freeMemoryBytes()) {
            reasons.add(Rejection.INSUFFICIENT_MEMORY);
        }
        return reasons;
    }

    /** Score in 0..1: how full the node would be with the pod on it. */
    static double fullnessAfter(NodeView node, PendingPod pod) {
        return (fraction(node.allocatedCpuMillis() + pod.cpuMillis(), node.capacityCpuMillis())
                + fraction(node.allocatedMemoryBytes() + pod.memoryBytes(), node.capacityMemoryBytes())) / 2;
    }

    private static double fraction(long used, long capacity) {
        return capacity <= 0 ? 1.0 : (double) used / capacity;
    }

    /**
     * True when even an empty node could not take the pod: none has its architecture, or it is
     * bigger than each one's total capacity. With no nodes at all, one may yet join: not hopeless.
     */
    static boolean neverFits(List<NodeView> nodes, PendingPod pod) {
        if (nodes.isEmpty()) {
            return false;
        }
        return nodes.stream().noneMatch(n -> pod.arch().runsOn(n.arch())
                && pod.cpuMillis() <= n.capacityCpuMillis()
                && pod.memoryBytes() <= n.capacityMemoryBytes());
    }

    private record Shape(long cpuMillis, long memoryBytes, Architecture arch) {}
}
