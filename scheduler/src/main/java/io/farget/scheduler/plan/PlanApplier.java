package io.farget.scheduler.plan;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.control.PlacementTrigger;
import io.farget.scheduler.control.PodCommitter;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.node.NodeConnections;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Explanation;
import io.farget.placement.model.Plan;
import io.farget.placement.PlacementEngine;
import io.farget.scheduler.state.ClusterState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one plan applier of the leader (runs on the leader loop): asks the engine for a plan over a
 * snapshot of the pending pods and nodes, re-checks every assignment against current state (node
 * still READY and connected, pod still PENDING, still fits), commits what holds and launches it.
 * Pods left unplaced get the engine's explanation as their reason (in memory).
 */
public final class PlanApplier {
    private static final Logger log = LoggerFactory.getLogger(PlanApplier.class);

    private final ClusterState state;
    private final NodeConnections connections;
    private final PlacementEngine engine;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final PlacementTrigger trigger;

    public PlanApplier(ClusterState state, NodeConnections connections, PlacementEngine engine,
                       PodStateMachine machine, PodCommitter committer, PlacementTrigger trigger) {
        this.state = state;
        this.connections = connections;
        this.engine = engine;
        this.machine = machine;
        this.committer = committer;
        this.trigger = trigger;
    }

    /** One placement pass. Must run on the leader loop. */
    public void placePending() {
        List<Pod> pending = state.pendingPods().stream()
                .filter(p -> p.getDesired() != DesiredState.DESIRED_STATE_KILL)
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(state.nodes().stream()
                .map(n -> PlacementInputs.node(n, state.activePodsOn(n.getId()), connections.isConnected(n.getId())))
                .toList());
        long started = System.nanoTime();
        Plan plan = engine.place(snapshot, pending.stream().map(PlacementInputs::pod).toList());
        log.debug("Placement of {} pods on {} nodes took {} us: {} placed", pending.size(), snapshot.nodes().size(),
                (System.nanoTime() - started) / 1000, plan.assignments().size());

        List<Transition> transitions = new ArrayList<>();
        Map<String, Resources> claimed = new HashMap<>();
        boolean stale = false;
        for (Assignment a : plan.assignments()) {
            Pod pod = state.pod(a.podId()).orElse(null);
            if (pod == null || !stillFits(pod, a.nodeId(), claimed)) {
                stale = true;
                continue;
            }
            claimed.merge(a.nodeId(), ResourceMath.podSize(pod.getSpec()), ResourceMath::add);
            transitions.add(machine.apply(pod, new PodEvent.Placed(a.nodeId())));
        }
        committer.commit(transitions);
        // Explanations live in memory only: they are recomputed every pass, and when a node joins
        // every pending pod's explanation changes; writing them all would flood ZooKeeper.
        for (Map.Entry<String, Explanation> e : plan.unplaced().entrySet()) {
            state.pod(e.getKey())
                    .map(pod -> machine.apply(pod, new PodEvent.StillPending(e.getValue().message())))
                    .filter(Transition::changed)
                    .ifPresent(t -> state.putPod(t.after()));
        }
        if (stale) {
            trigger.request(); // state moved under the plan: try the rejected pods again
        }
    }

    private boolean stillFits(Pod pod, String nodeId, Map<String, Resources> claimed) {
        if (pod.getStatus().getPhase() != PodPhase.POD_PHASE_PENDING || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
            return false;
        }
        Node node = state.node(nodeId).orElse(null);
        if (node == null || !isSchedulable(node) || !PlacementInputs.architecture(pod.getSpec().getArch())
                .runsOn(PlacementInputs.architecture(node.getArch()))) {
            return false;
        }
        Resources used = ResourceMath.add(state.allocatedOn(nodeId), claimed.getOrDefault(nodeId, ResourceMath.ZERO));
        return ResourceMath.fits(ResourceMath.podSize(pod.getSpec()), ResourceMath.subtract(node.getCapacity(), used));
    }

    private boolean isSchedulable(Node node) {
        return node.getState() == NodeState.NODE_STATE_READY && connections.isConnected(node.getId());
    }
}
