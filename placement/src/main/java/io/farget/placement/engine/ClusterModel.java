package io.farget.placement.engine;

import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A mutable working copy of a cluster snapshot with its indexes, changed one pod at a time (no
 * rebuild per event). The engine builds one per pass from an immutable snapshot; a caller that
 * keeps one alive may feed it events instead, take {@link #snapshot()} when it needs one, and place
 * on it pass after pass with a {@link Placer}.
 * Not thread-safe: one owner.
 */
public final class ClusterModel {
    private final Host[] hosts;
    private final Map<String, Host> byId;
    private final Map<String, Host> podHome = new HashMap<>();
    private final HostIndex index;
    private final List<Listener> listeners = new ArrayList<>(2);
    /** How many placed pods there are of each priority: the lowest one without a scan. */
    private final TreeMap<Integer, Integer> priorities = new TreeMap<>();
    private long gpuPodsVersion;
    private final ArchitectureLoad architectures = new ArchitectureLoad();

    /** Hears every change of what is free on a host (a pass's caches stay true this way). */
    interface Listener {
        void changed(Host host);
    }

    public ClusterModel(ClusterSnapshot snapshot, long seed) {
        List<NodeView> nodes = snapshot.nodes();
        hosts = new Host[nodes.size()];
        byId = new HashMap<>(nodes.size() * 2);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < hosts.length; i++) {
            Host host = new Host(i, nodes.get(i), random.nextLong());
            hosts[i] = host;
            if (byId.put(host.id(), host) != null) {
                throw new IllegalArgumentException("node " + host.id() + " appears twice in the snapshot");
            }
            architectures.addHost(host.arch(), host.capacity().cpuMillis());
            for (PlacedPod pod : host.pods()) {
                podHome.put(pod.id(), host);
                counted(host, pod, +1);
            }
        }
        index = new HostIndex(hosts);
    }

    public int size() {
        return hosts.length;
    }

    public Optional<Host> host(String nodeId) {
        return Optional.ofNullable(byId.get(nodeId));
    }

    /** Where {@code podId} runs, if on a node of this model. */
    public Optional<String> nodeOf(String podId) {
        Host home = podHome.get(podId);
        return home == null ? Optional.empty() : Optional.of(home.id());
    }

    public List<Host> hosts() {
        return Arrays.asList(hosts);
    }

    /** Reserves {@code pod} on {@code nodeId}. Does not check fit: the engine has, or the caller trusts its plan. */
    public void add(String nodeId, PlacedPod pod) {
        Host host = byId.get(nodeId);
        if (host == null) {
            throw new IllegalArgumentException("no node " + nodeId);
        }
        if (podHome.putIfAbsent(pod.id(), host) != null) {
            throw new IllegalStateException("pod " + pod.id() + " is already placed");
        }
        host.add(pod);
        counted(host, pod, +1);
        changed(host);
    }

    /** Releases {@code podId} wherever it is; the pod removed, if it was here. */
    public Optional<PlacedPod> remove(String podId) {
        Host host = podHome.remove(podId);
        if (host == null) {
            return Optional.empty();
        }
        PlacedPod pod = host.remove(podId);
        counted(host, pod, -1);
        changed(host);
        return Optional.of(pod);
    }

    /**
     * The node's condition changed (ready, cordoned, draining, not ready): the host keeps its pods
     * and every pass's caches hear of it as of any other change of the host.
     */
    public void setCondition(String nodeId, Condition condition) {
        Host host = byId.get(nodeId);
        if (host == null) {
            throw new IllegalArgumentException("no node " + nodeId);
        }
        if (host.condition(condition)) {
            changed(host);
        }
    }

    /** The lowest priority of any placed pod; {@link Integer#MAX_VALUE} when none is placed. */
    public int lowestPriority() {
        return priorities.isEmpty() ? Integer.MAX_VALUE : priorities.firstKey();
    }

    /**
     * Changes whenever a pod with GPUs is added or removed: what is learned from the GPU pods placed
     * (a workload profile) stays true while it stands still.
     */
    public long gpuPodsVersion() {
        return gpuPodsVersion;
    }

    private void counted(Host host, PlacedPod pod, int sign) {
        architectures.placed(host.arch(), pod.amounts().cpuMillis(), sign);
        priorities.merge(pod.priority(), sign, (a, b) -> a + b == 0 ? null : a + b);
        if (!pod.gpu().none()) {
            gpuPodsVersion++;
        }
    }

    /**
     * Whether {@code nodeId} takes {@code pod} now on exactly these GPU devices: every filter and
     * every dimension, as the engine decides. For an applier re-checking a plan against fresh state.
     */
    public boolean admits(String nodeId, PendingPod pod, int[] gpuDevices) {
        Host host = byId.get(nodeId);
        if (host == null || Feasibility.staticRejection(host, pod) != null || !Feasibility.fitsNow(host, pod)) {
            return false;
        }
        if (gpuDevices.length != pod.gpu().count()) {
            return false;
        }
        int[] free = host.gpuFreeCopy();
        for (int d : gpuDevices) {
            if (d < 0 || d >= free.length || free[d] < pod.gpu().milliEach()) {
                return false;
            }
            free[d] -= pod.gpu().milliEach();
        }
        return true;
    }

    /** The cluster as it stands, immutable. */
    public ClusterSnapshot snapshot() {
        return new ClusterSnapshot(Arrays.stream(hosts).map(Host::view).toList());
    }

    private void changed(Host host) {
        index.update(host);
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).changed(host);
        }
    }

    /** Adds a listener: a pass's, for its length, or a {@link Placer}'s, for its life. */
    void listen(Listener listener) {
        listeners.add(listener);
    }

    void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    HostIndex index() {
        return index;
    }

    ArchitectureLoad architectures() {
        return architectures;
    }

    Host[] hostArray() {
        return hosts;
    }
}
