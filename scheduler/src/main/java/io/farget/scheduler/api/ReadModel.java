package io.farget.scheduler.api;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.LastKnownState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Where reads come from: the leader's memory, ZooKeeper on a standby, or the last known state. */
interface ReadModel {
    Optional<Pod> pod(String id);

    Collection<Pod> pods();

    /** Nodes with their allocation derived from their pods. */
    List<Node> nodes();

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

    /** A standby's reads: straight from ZooKeeper, remembered; the remembered view if ZooKeeper fails. */
    record Stored(ClusterReader reader, LastKnownState lastKnown) implements ReadModel {
        public Optional<Pod> pod(String id) {
            return orRemembered(() -> reader.readPod(id), snapshot -> snapshot.pod(id));
        }

        public Collection<Pod> pods() {
            return orRemembered(() -> {
                List<Pod> pods = reader.loadPods();
                lastKnown.rememberPods(pods);
                return pods;
            }, LastKnownState.Snapshot::pods);
        }

        public List<Node> nodes() {
            return orRemembered(() -> {
                List<Pod> pods = reader.loadPods();
                List<Node> nodes = reader.loadNodes();
                lastKnown.remember(pods, nodes);
                return withAllocation(nodes, pods);
            }, snapshot -> withAllocation(snapshot.nodes(), snapshot.pods()));
        }

        private <T> T orRemembered(Supplier<T> fresh, Function<LastKnownState.Snapshot, T> remembered) {
            try {
                return fresh.get();
            } catch (FargetException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                return lastKnown.snapshot().map(remembered).orElseThrow(() -> e);
            }
        }
    }

    /** What this replica last knew, served while ZooKeeper is out of reach. */
    record Remembered(LastKnownState.Snapshot snapshot) implements ReadModel {
        public Optional<Pod> pod(String id) {
            return snapshot.pod(id);
        }

        public Collection<Pod> pods() {
            return snapshot.pods();
        }

        public List<Node> nodes() {
            return withAllocation(snapshot.nodes(), snapshot.pods());
        }
    }

    /** Nodes with allocation and pod count derived from the unfinished pods placed on them. */
    static List<Node> withAllocation(Collection<Node> nodes, Collection<Pod> pods) {
        Map<String, Resources> allocated = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Pod pod : pods) {
            String nodeId = pod.getStatus().getNodeId();
            if (!nodeId.isEmpty() && !PodPhases.isTerminal(pod.getStatus().getPhase())) {
                allocated.merge(nodeId, ResourceMath.podSize(pod.getSpec()), ResourceMath::add);
                counts.merge(nodeId, 1, Integer::sum);
            }
        }
        return nodes.stream().map(n -> n.toBuilder()
                .setAllocated(allocated.getOrDefault(n.getId(), ResourceMath.ZERO))
                .setPodCount(counts.getOrDefault(n.getId(), 0))
                .build()).toList();
    }
}
