package io.farget.scheduler.control;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.SideEffect;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.state.ClusterState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out drains, run periodically on the leader loop (and right after a drain starts): on a
 * draining node, each pod that may restart is evicted (told to stop, PENDING again, placed
 * elsewhere as a new attempt); the others are left to finish, and are killed once the drain's
 * deadline has passed. The node stays cordoned and DRAINING until it is uncordoned.
 *
 * <p>A draining node that is NOT_READY is left alone: the stop could not reach its agent, which may
 * well still run the pods (a stream broken by a short network cut, a reconnect under way), so moving
 * them would run them twice. Its pods move once it is back (told to stop on its new stream) or, if it
 * stays away, by the lost-node rules of {@link NodeFailures}, like any silent node's.
 */
public final class NodeDrains {
    private static final Logger log = LoggerFactory.getLogger(NodeDrains.class);

    private final ClusterState state;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final Clock clock;
    /** Pods already told to stop at a deadline, so each pass does not repeat the command. */
    private final Set<String> killedAtDeadline = new HashSet<>();

    public NodeDrains(ClusterState state, PodStateMachine machine, PodCommitter committer, Clock clock) {
        this.state = state;
        this.machine = machine;
        this.committer = committer;
        this.clock = clock;
    }

    public void check() {
        Instant now = clock.instant();
        List<Transition> evictions = new ArrayList<>();
        List<SideEffect> deadlineKills = new ArrayList<>();
        for (Node node : state.drainingNodes()) {
            if (!node.getDraining() || node.getState() == NodeState.NODE_STATE_NOT_READY) {
                continue;
            }
            Instant deadline = node.hasDrainDeadline() ? Timestamps.toInstant(node.getDrainDeadline()) : null;
            boolean overdue = deadline != null && !now.isBefore(deadline);
            for (Pod pod : state.activePodsOn(node.getId())) {
                if (NodeFailures.restartable(pod)) {
                    evictions.add(machine.apply(pod, new PodEvent.Evicted("node " + node.getId() + " is draining")));
                } else if (overdue && killedAtDeadline.add(pod.getId())) {
                    deadlineKills.add(new SideEffect.Kill(node.getId(), pod.getId(), "node " + node.getId() + " drain deadline passed"));
                }
            }
        }
        if (!evictions.isEmpty()) {
            log.info("Drain: moving {} pods off draining nodes", evictions.stream().filter(Transition::changed).count());
            committer.commit(evictions);
        }
        if (!deadlineKills.isEmpty()) {
            log.info("Drain: killing {} pods still running at their node's drain deadline", deadlineKills.size());
            deadlineKills.forEach(committer::run);
        }
    }
}
