package io.farget.scheduler.plan;

import io.farget.common.PodPhases;
import io.farget.placement.PlacementEngine;
import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.Placer;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Eviction;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Plan;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.PodListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placement's model of the cluster as committed, kept alive between passes: every stored pod change
 * moves one pod in it ({@link #changed}), so a pass costs what it places, not what runs. Building the
 * model from 100,000 pods on every pass cost more than placing. A node's new condition (its state,
 * cordon, connection) is set on its host in place; the model is rebuilt from state only when a node
 * came or went or changed its size, labels, architecture or GPUs (not its heartbeat), at the first
 * pass of a term, or after anything left it in doubt (a failed commit).
 * Used on the leader loop only, where every pod change is made (so {@link #changed} runs there too);
 * {@link #nodeChanged} only notes the node, so it is safe from any thread.
 */
final class LiveModel implements PodListener {
    private static final Logger log = LoggerFactory.getLogger(LiveModel.class);

    private record Seen(Node node, boolean connected) {}

    private final ClusterState state;
    private final NodeConnections connections;
    private final long seed;
    /** The nodes as the model was built from them. */
    private final Map<String, Seen> seen = new HashMap<>();
    /** Nodes stored since the last look (a set, so a node heartbeating many times is looked at once). */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    /** {@link NodeConnections#changes()} when connections were last compared. */
    private long connectionsSeen;
    private ClusterModel model;
    /** Places on {@link #model}, keeping its pass set-up (score boards and all) from pass to pass; made again with the model. */
    private Placer placer;

    LiveModel(ClusterState state, NodeConnections connections, PlacementEngine engine) {
        this.state = state;
        this.connections = connections;
        this.seed = engine instanceof ScoringEngine scoring ? scoring.config().seed() : 0;
    }

    /** The model as committed now: the one kept, or a fresh one when a node changed since. */
    ClusterModel current() {
        if (model == null || needsRebuild()) {
            rebuild();
        }
        return model;
    }

    /**
     * Plans {@code pods} over the current model and leaves the model as it was (the committed
     * state): the caller re-checks and adds each assignment it keeps.
     */
    Plan plan(PlacementEngine engine, List<PendingPod> pods) {
        ClusterModel now = current();
        if (!(engine instanceof ScoringEngine scoring)) {
            return engine.place(now.snapshot(), pods); // works on a copy of its own
        }
        try {
            Plan plan = placerFor(scoring, now).place(pods, null);
            for (Assignment a : plan.assignments()) {
                now.remove(a.podId());
            }
            for (Eviction e : plan.evictions()) {
                state.pod(e.victimPodId()).ifPresent(victim -> addBack(now, e.nodeId(), victim));
            }
            return plan;
        } catch (RuntimeException e) {
            invalidate(); // the engine stopped midway through changing the model
            throw e;
        }
    }

    private Placer placerFor(ScoringEngine scoring, ClusterModel now) {
        if (placer == null || !placer.serves(scoring, now)) {
            if (placer != null) {
                placer.close();
            }
            placer = scoring.placer(now);
        }
        return placer;
    }

    /** The cluster as committed, immutable (dry runs). */
    ClusterSnapshot snapshot() {
        return current().snapshot();
    }

    /** Something may have gone wrong between model and state (a commit failed midway): build again next time. */
    void invalidate() {
        model = null;
    }

    @Override
    public void nodeChanged(Node node) {
        touched.add(node.getId());
    }

    @Override
    public void changed(Pod pod) {
        if (model == null) {
            return;
        }
        try {
            String node = pod.getStatus().getNodeId();
            boolean active = !node.isEmpty() && !PodPhases.isTerminal(pod.getStatus().getPhase());
            String where = model.nodeOf(pod.getId()).orElse(null);
            if (active && node.equals(where)) {
                return; // already counted there (the applier adds what it commits); size and devices never change
            }
            if (where != null) {
                model.remove(pod.getId());
            }
            if (active && !addBack(model, node, pod)) {
                invalidate(); // a pod on a node the model has not seen: rebuilt with the node next pass
            }
        } catch (RuntimeException e) {
            // A listener that throws is dropped by the state, and a stale model would overcommit nodes.
            log.warn("Placement model out of step at pod {} ({}); rebuilding it", pod.getId(), e.toString());
            invalidate();
        }
    }

    private static boolean addBack(ClusterModel model, String nodeId, Pod pod) {
        Host host = model.host(nodeId).orElse(null);
        if (host == null) {
            return false;
        }
        model.add(nodeId, PlacementInputs.placed(pod, host));
        return true;
    }

    private void rebuild() {
        long started = System.nanoTime();
        touched.clear();
        connectionsSeen = connections.changes();
        Collection<Node> nodes = state.nodes();
        List<NodeView> views = new ArrayList<>(nodes.size());
        seen.clear();
        int pods = 0;
        for (Node node : nodes) {
            boolean connected = connections.isConnected(node.getId());
            List<Pod> active = state.activePodsOn(node.getId());
            pods += active.size();
            views.add(PlacementInputs.node(node, active, connected));
            seen.put(node.getId(), new Seen(node, connected));
        }
        model = new ClusterModel(new ClusterSnapshot(views), seed);
        log.debug("Placement model rebuilt: {} nodes, {} pods in {} us", views.size(), pods,
                (System.nanoTime() - started) / 1000);
    }

    /**
     * Brings the model up to date with the nodes, in place where it can: a node that changed only
     * its condition (READY, cordoned, draining, NOT_READY, connected or not) keeps its host, and the
     * model hears the new condition; true when the model must be built again instead (a node came
     * or went, or changed its size, labels, architecture or GPUs). Under load agents go silent and
     * come back, or reconnect, by the dozen, and rebuilding the model from every pod for each one
     * cost more than the placing. Looks only at the nodes stored since the last look, and at every
     * connection only when one changed: a pass costs nothing per idle node.
     */
    private boolean needsRebuild() {
        // Asked at every pass; an iterator over an emptied concurrent set still walks its whole
        // table, grown to the fleet's size when every node registered: skip it when nothing is there.
        for (Iterator<String> it = touched.isEmpty() ? Collections.emptyIterator() : touched.iterator(); it.hasNext(); ) {
            String id = it.next();
            it.remove();
            Seen before = seen.get(id);
            Node node = state.node(id).orElse(null);
            if (before == null || node == null || !sameShape(before.node(), node)) {
                return true;
            }
            seen.put(id, new Seen(node, before.connected()));
            model.setCondition(id, PlacementInputs.condition(node, before.connected()));
        }
        long connectionChanges = connections.changes();
        if (connectionChanges != connectionsSeen) {
            connectionsSeen = connectionChanges;
            for (Map.Entry<String, Seen> e : seen.entrySet()) {
                boolean connected = connections.isConnected(e.getKey());
                if (e.getValue().connected() != connected) {
                    Node node = e.getValue().node();
                    e.setValue(new Seen(node, connected));
                    model.setCondition(e.getKey(), PlacementInputs.condition(node, connected));
                }
            }
        }
        return false;
    }

    /**
     * What {@link PlacementInputs#node} reads of a node besides its condition, compared; the
     * heartbeat time is left out on purpose.
     */
    private static boolean sameShape(Node a, Node b) {
        return a == b || a.getArch() == b.getArch() && a.getCapacity().equals(b.getCapacity())
                && a.getLabelsMap().equals(b.getLabelsMap()) && a.getGpus().equals(b.getGpus());
    }
}
