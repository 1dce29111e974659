package io.farget.scheduler.api;

import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ClusterState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where reads come from: the leader's memory, or ZooKeeper on a standby. */
interface ReadModel {
    Optional<Pod> pod(String id);

    Collection<Pod> pods();

    /** Nodes with their allocation derived from their pods. */
    List<Node> nodes();

    static ReadModel of(Leadership leadership, ClusterReader reader) {
        return leadership.current()
                .<ReadModel>map(term -> new Memory(term.state()))
                .orElseGet(() -> new Stored(reader));
    }

    record Memory(ClusterState state) implements ReadModel {
        public Optional<Pod> pod(String id) {
            return state.pod(id);
        }

        public Collection<Pod> pods() {
            return state.pods();
        }

        public List<Node> nodes() {
            return state.nodes().stream().map(state::withAllocation).toList();
        }
    }

    record Stored(ClusterReader reader) implements ReadModel {
        public Optional<Pod> pod(String id) {
            return reader.readPod(id);
        }

        public Collection<Pod> pods() {
            return reader.loadPods();
        }

        public List<Node> nodes() {
            Map<String, Resources> allocated = new HashMap<>();
            Map<String, Integer> counts = new HashMap<>();
            for (Pod pod : reader.loadPods()) {
                String nodeId = pod.getStatus().getNodeId();
                if (!nodeId.isEmpty() && !PodPhases.isTerminal(pod.getStatus().getPhase())) {
                    allocated.merge(nodeId, ResourceMath.podSize(pod.getSpec()), ResourceMath::add);
                    counts.merge(nodeId, 1, Integer::sum);
                }
            }
            return reader.loadNodes().stream().map(n -> n.toBuilder()
                    .setAllocated(allocated.getOrDefault(n.getId(), ResourceMath.ZERO))
                    .setPodCount(counts.getOrDefault(n.getId(), 0))
                    .build()).toList();
        }
    }
}
