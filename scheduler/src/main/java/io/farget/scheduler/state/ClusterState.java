package io.farget.scheduler.state;

import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The leader's in-memory view of pods and nodes, loaded at takeover and kept in step with every
 * committed write, so reads and placement never scan ZooKeeper. Changes come from one thread (the
 * leader loop); reads may come from any thread.
 *
 * <p>What a node has allocated is derived from the pods placed there, never kept as a counter.
 */
public final class ClusterState {
    private static final Comparator<Pod> BY_CREATION = Comparator
            .comparingLong((Pod p) -> p.getStatus().getCreatedAt().getSeconds())
            .thenComparingInt(p -> p.getStatus().getCreatedAt().getNanos())
            .thenComparing(Pod::getId);

    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Map<String, String> podByRequest = new ConcurrentHashMap<>();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    /**
     * Each node's latest heartbeat (epoch millis), apart from its Node message: thousands of agents
     * heartbeat every few seconds, and rebuilding a Node (labels and all) for each cost more than
     * the heartbeat. Memory only, like the heartbeat itself.
     */
    private final Map<String, Long> heartbeats = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> activeByNode = new ConcurrentHashMap<>();
    private final List<PodListener> listeners = new CopyOnWriteArrayList<>();

    public ClusterState(Collection<Pod> storedPods, Collection<Node> storedNodes) {
        storedNodes.forEach(n -> nodes.put(n.getId(), n));
        storedPods.forEach(this::index);
    }

    public void putPod(Pod pod) {
        index(pod);
        for (PodListener listener : listeners) {
            try {
                listener.changed(pod);
            } catch (RuntimeException e) {
                // A broken watcher must never fail the commit that told it: drop it.
                listeners.remove(listener);
            }
        }
    }

    /**
     * Stores a pod whose only change is its latest usage sample: kept for reads, but listeners are
     * not told. Every running pod has one every usage interval (10,000 a second at 100,000 pods), and
     * nothing listening (placement, the ledger, watchers of pod lifecycles) acts on it.
     */
    public void putUsage(Pod pod) {
        pods.put(pod.getId(), pod); // only its usage changed: the request, pending and node indexes hold
    }

    public Optional<Pod> pod(String id) {
        return Optional.ofNullable(pods.get(id));
    }

    public Collection<Pod> pods() {
        return List.copyOf(pods.values());
    }

    public Optional<String> podIdForRequest(String requestId) {
        return Optional.ofNullable(podByRequest.get(requestId));
    }

    /** Whether any pod waits for placement. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Pending pods, oldest first: the order placement serves them in. */
    public List<Pod> pendingPods() {
        List<Pod> out = new ArrayList<>(pending.size());
        for (String id : pending) {
            Pod pod = pods.get(id);
            if (pod != null) {
                out.add(pod);
            }
        }
        out.sort(BY_CREATION);
        return out;
    }

    /** Pods placed on {@code nodeId} and not finished. */
    public List<Pod> activePodsOn(String nodeId) {
        Set<String> ids = activeByNode.getOrDefault(nodeId, Set.of());
        List<Pod> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Pod pod = pods.get(id);
            if (pod != null) {
                out.add(pod);
            }
        }
        return out;
    }

    /** How many pods are placed on some node and not finished: the fleet's running work. */
    public int activePodCount() {
        int count = 0;
        for (Set<String> ids : activeByNode.values()) {
            count += ids.size();
        }
        return count;
    }

    public Resources allocatedOn(String nodeId) {
        Resources sum = ResourceMath.ZERO;
        for (Pod pod : activePodsOn(nodeId)) {
            sum = ResourceMath.add(sum, ResourceMath.podSize(pod.getSpec()));
        }
        return sum;
    }

    public void putNode(Node node) {
        nodes.put(node.getId(), node);
        for (PodListener listener : listeners) {
            try {
                listener.nodeChanged(node);
            } catch (RuntimeException e) {
                listeners.remove(listener);
            }
        }
    }

    /** Notes a heartbeat of {@code nodeId}; changes nothing placement or ZooKeeper see. */
    public void heartbeat(String nodeId, Instant at) {
        heartbeats.merge(nodeId, at.toEpochMilli(), Math::max);
    }

    /** When the node last showed it was alive: its latest heartbeat, or what its stored record says. */
    public Optional<Instant> lastHeartbeat(Node node) {
        Instant stored = Timestamps.toInstant(node.getLastHeartbeatAt());
        Long seen = heartbeats.get(node.getId());
        if (seen == null || (stored != null && stored.toEpochMilli() >= seen)) {
            return Optional.ofNullable(stored);
        }
        return Optional.of(Instant.ofEpochMilli(seen));
    }

    public Optional<Node> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public Collection<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node as users see it: allocated and pod count derived from its pods, and its latest heartbeat. */
    public Node withAllocation(Node node) {
        Node.Builder b = node.toBuilder();
        lastHeartbeat(node).ifPresent(at -> b.setLastHeartbeatAt(Timestamps.of(at)));
        return b
                .setAllocated(allocatedOn(node.getId()))
                .setPodCount(activeByNode.getOrDefault(node.getId(), Set.of()).size())
                .build();
    }

    public void addListener(PodListener listener) {
        listeners.add(listener);
    }

    public void removeListener(PodListener listener) {
        listeners.remove(listener);
    }

    /** Leadership ended: tells every listener and forgets them. */
    public void close() {
        List<PodListener> all = List.copyOf(listeners);
        listeners.clear();
        all.forEach(PodListener::closed);
    }

    private void index(Pod pod) {
        Pod old = pods.put(pod.getId(), pod);
        if (old != null) {
            String oldNode = old.getStatus().getNodeId();
            if (!oldNode.isEmpty()) {
                Set<String> set = activeByNode.get(oldNode);
                if (set != null) {
                    set.remove(old.getId());
                }
            }
        }
        if (!pod.getRequestId().isEmpty()) {
            podByRequest.put(pod.getRequestId(), pod.getId());
        }
        PodPhase phase = pod.getStatus().getPhase();
        if (phase == PodPhase.POD_PHASE_PENDING) {
            pending.add(pod.getId());
        } else {
            pending.remove(pod.getId());
        }
        String nodeId = pod.getStatus().getNodeId();
        if (!nodeId.isEmpty() && !PodPhases.isTerminal(phase)) {
            activeByNode.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet()).add(pod.getId());
        }
    }
}
