package io.farget.scheduler.state;

import com.google.protobuf.Timestamp;
import io.farget.common.PodPhases;
import io.farget.common.ResourceMath;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
    /** {@link #lastHeartbeatMillis} of a node that never heartbeat. */
    public static final long NEVER = Long.MIN_VALUE;
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
    /**
     * Nodes that the periodic checks act on (NOT_READY ones may lose their pods, draining ones give
     * them up): kept apart so that a check over a healthy fleet of thousands looks at none of them.
     */
    private final Set<String> notReadyNodes = ConcurrentHashMap.newKeySet();
    private final Set<String> drainingNodes = ConcurrentHashMap.newKeySet();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> activeByNode = new ConcurrentHashMap<>();
    private final List<PodListener> listeners = new CopyOnWriteArrayList<>();
    private final Collection<Node> nodesView = Collections.unmodifiableCollection(nodes.values());

    public ClusterState(Collection<Pod> storedPods, Collection<Node> storedNodes) {
        storedNodes.forEach(n -> {
            nodes.put(n.getId(), n);
            indexNode(n);
        });
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

    /**
     * Finished pods that ended before {@code cutoff}, at most {@code limit} of them: the ones whose
     * retention is over. Walks every pod; for a timer, never for a request.
     */
    public List<Pod> finishedBefore(Instant cutoff, int limit) {
        List<Pod> out = new ArrayList<>();
        long cutoffSeconds = cutoff.getEpochSecond();
        for (Pod pod : pods.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (PodPhases.isTerminal(pod.getStatus().getPhase()) && pod.getStatus().hasFinishedAt()
                    && pod.getStatus().getFinishedAt().getSeconds() < cutoffSeconds) {
                out.add(pod);
            }
        }
        return out;
    }

    /** Forgets finished pods the leader has deleted from ZooKeeper (they are on no node and wait for nothing). */
    public void removeFinished(Collection<Pod> removed) {
        for (Pod pod : removed) {
            pods.remove(pod.getId());
            if (!pod.getRequestId().isEmpty()) {
                podByRequest.remove(pod.getRequestId(), pod.getId());
            }
        }
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
        List<Pod> out = lookUp(pending, pods);
        out.sort(BY_CREATION);
        return out;
    }

    /** Pods placed on {@code nodeId} and not finished. */
    public List<Pod> activePodsOn(String nodeId) {
        return lookUp(activeByNode.getOrDefault(nodeId, Set.of()), pods);
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
        indexNode(node);
        for (PodListener listener : listeners) {
            try {
                listener.nodeChanged(node);
            } catch (RuntimeException e) {
                listeners.remove(listener);
            }
        }
    }

    /** How many nodes are known, whatever their state. */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Every known node, live and unmodifiable: no copy, for the leader loop's scans over the fleet
     * (only the loop changes nodes, so nothing moves under its own iteration).
     */
    public Collection<Node> nodesView() {
        return nodesView;
    }

    /** Nodes NOT_READY now. */
    public List<Node> notReadyNodes() {
        return lookUp(notReadyNodes, nodes);
    }

    /** Nodes being drained (whatever their state). */
    public List<Node> drainingNodes() {
        return lookUp(drainingNodes, nodes);
    }

    /**
     * What {@code ids} name in {@code byId}, skipping ids gone since. An empty set is not walked: an
     * emptied concurrent set's iterator still scans its whole table, grown to the fleet's size when
     * every pod waited or every node was NOT_READY at takeover.
     */
    private static <T> List<T> lookUp(Set<String> ids, Map<String, T> byId) {
        if (ids.isEmpty()) {
            return new ArrayList<>(0);
        }
        List<T> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            T found = byId.get(id);
            if (found != null) {
                out.add(found);
            }
        }
        return out;
    }

    private void indexNode(Node node) {
        if (node.getState() == NodeState.NODE_STATE_NOT_READY) {
            notReadyNodes.add(node.getId());
        } else {
            notReadyNodes.remove(node.getId());
        }
        if (node.getDraining()) {
            drainingNodes.add(node.getId());
        } else {
            drainingNodes.remove(node.getId());
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

    /**
     * {@link #lastHeartbeat} in epoch millis, or {@link #NEVER}: without allocating, for the scan
     * over every node each liveness check makes.
     */
    public long lastHeartbeatMillis(Node node) {
        long stored = Timestamps.isSet(node.getLastHeartbeatAt()) ? storedMillis(node.getLastHeartbeatAt()) : NEVER;
        Long seen = heartbeats.get(node.getId());
        return seen == null ? stored : Math.max(stored, seen);
    }

    private static long storedMillis(Timestamp at) {
        return at.getSeconds() * 1000 + at.getNanos() / 1_000_000; // as Instant.toEpochMilli truncates
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

    /**
     * Keeps the indexes in step with the pod's new version, touching only those its change moved:
     * most changes are of status on the same node (starting, running), and the indexes are
     * concurrent maps of up to 100,000 entries read by other threads.
     */
    private void index(Pod pod) {
        String id = pod.getId();
        Pod old = pods.put(id, pod);
        if (!pod.getRequestId().isEmpty() && (old == null || !old.getRequestId().equals(pod.getRequestId()))) {
            podByRequest.put(pod.getRequestId(), id);
        }
        boolean wasPending = old != null && isPending(old);
        if (isPending(pod) != wasPending) {
            if (wasPending) {
                pending.remove(id);
            } else {
                pending.add(id);
            }
        }
        String wasOn = old == null ? "" : activeOn(old);
        String isOn = activeOn(pod);
        if (!isOn.equals(wasOn)) {
            if (!wasOn.isEmpty()) {
                Set<String> set = activeByNode.get(wasOn);
                if (set != null) {
                    set.remove(id);
                }
            }
            if (!isOn.isEmpty()) {
                activeByNode.computeIfAbsent(isOn, k -> ConcurrentHashMap.newKeySet()).add(id);
            }
        }
    }

    private static boolean isPending(Pod pod) {
        return pod.getStatus().getPhase() == PodPhase.POD_PHASE_PENDING;
    }

    /** The node the pod holds resources on: its node while not finished; empty when none. */
    private static String activeOn(Pod pod) {
        return PodPhases.isTerminal(pod.getStatus().getPhase()) ? "" : pod.getStatus().getNodeId();
    }
}
