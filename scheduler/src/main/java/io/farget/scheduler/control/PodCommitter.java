package io.farget.scheduler.control;

import io.farget.common.PodPhases;
import io.farget.proto.v1.KillPod;
import io.farget.proto.v1.LaunchPod;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.lifecycle.SideEffect;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes transitions real, in this order: store the changed pods in ZooKeeper (fenced), then in
 * memory, then run the side effects. A command is never sent for a state that was not stored.
 */
public final class PodCommitter {
    private static final Logger log = LoggerFactory.getLogger(PodCommitter.class);
    static final long KILL_GRACE_MILLIS = 10_000;
    private static final int SLICE = 100;

    private final ClusterState state;
    private final ClusterWriter writer;
    private final NodeConnections connections;
    private final PlacementTrigger placement;

    public PodCommitter(ClusterState state, ClusterWriter writer, NodeConnections connections, PlacementTrigger placement) {
        this.state = state;
        this.writer = writer;
        this.connections = connections;
        this.placement = placement;
    }

    public void commit(Transition transition) {
        commit(List.of(transition));
    }

    /** Commits in slices, each stored and then acted on, so a failure midway loses nothing stored. */
    public void commit(List<Transition> transitions) {
        for (int from = 0; from < transitions.size(); from += SLICE) {
            commitSlice(transitions.subList(from, Math.min(transitions.size(), from + SLICE)));
        }
    }

    private void commitSlice(List<Transition> transitions) {
        List<Pod> changed = transitions.stream().filter(Transition::changed).map(Transition::after).toList();
        writer.savePods(changed);
        changed.forEach(state::putPod);
        actOn(transitions);
    }

    /**
     * Pods their creator has just stored, each as it was stored (PENDING, or already placed): into
     * memory, then their side effects (the launches of the placed ones).
     */
    void created(List<Transition> stored) {
        stored.forEach(t -> state.putPod(t.after()));
        actOn(stored);
    }

    /** After {@code transitions} are stored and in memory: logs them and runs their side effects. */
    private void actOn(List<Transition> transitions) {
        boolean capacityOrDemandChanged = false;
        for (Transition t : transitions) {
            logNotable(t);
            capacityOrDemandChanged |= t.finished() || t.returnedToPending();
            t.effects().forEach(this::run);
        }
        if (capacityOrDemandChanged) {
            placement.request();
        }
    }

    /** Runs a side effect outside any transition (e.g. killing a pod the leader does not know). */
    public void run(SideEffect effect) {
        SchedulerMessage.Builder message = SchedulerMessage.newBuilder();
        if (effect instanceof SideEffect.Launch launch) {
            message.setLaunch(LaunchPod.newBuilder()
                    .setPodId(launch.podId()).setAttempt(launch.attempt()).setSpec(launch.spec()));
        } else if (effect instanceof SideEffect.Kill kill) {
            message.setKill(KillPod.newBuilder()
                    .setPodId(kill.podId()).setReason(kill.reason()).setGracePeriodMillis(KILL_GRACE_MILLIS));
        }
        if (!connections.send(effect.nodeId(), message)) {
            // The node will register again and be reconciled: launches re-sent, kills re-derived.
            log.debug("Node {} not connected; {} deferred to its next registration", effect.nodeId(), effect);
        }
    }

    private static void logNotable(Transition t) {
        Pod pod = t.after();
        if (t.placed()) {
            log.info("Pod {} ({}) placed -> node {} (attempt {})", pod.getId(), pod.getSpec().getName(),
                    pod.getStatus().getNodeId(), pod.getStatus().getAttempt());
        } else if (t.finished()) {
            log.info("Pod {} ({}) finished: {}{}{}", pod.getId(), pod.getSpec().getName(),
                    PodPhases.name(pod.getStatus().getPhase()),
                    pod.getStatus().getHasExitCode() ? ", exit code " + pod.getStatus().getExitCode() : "",
                    pod.getStatus().getReason().isEmpty() ? "" : ", " + pod.getStatus().getReason());
        } else if (t.returnedToPending()) {
            log.info("Pod {} back to PENDING: {}", pod.getId(), pod.getStatus().getReason());
        }
    }
}
