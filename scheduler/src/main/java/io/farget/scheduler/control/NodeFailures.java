package io.farget.scheduler.control;

import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.scheduler.state.ClusterState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node failure detection, run periodically on the leader loop: a node silent for
 * {@code notReadyAfter} becomes NOT_READY; once it has been silent for a further
 * {@code podsLostAfter}, its pods are given up: LOST for restart policy never, back to PENDING (a
 * new attempt, elsewhere) for the others, at the pace the {@link RescheduleBudget} allows.
 *
 * <p>Silence is counted from the node's last heartbeat, but never from before this leader took
 * over: the stored heartbeat time of a node is as old as its last state change, and agents need a
 * moment to find a new leader. A node that comes back later is reconciled on Register: it is told
 * to kill the pods that moved away.
 */
public final class NodeFailures {
    private static final Logger log = LoggerFactory.getLogger(NodeFailures.class);

    private final ClusterState state;
    private final NodeRegistry nodes;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final RescheduleBudget budget;
    private final Clock clock;
    private final Duration lostAfterSilence;
    private final Instant termStart;
    private int deferredLastCheck;

    public NodeFailures(ClusterState state, NodeRegistry nodes, PodStateMachine machine, PodCommitter committer,
                        RescheduleBudget budget, Clock clock, Duration notReadyAfter, Duration podsLostAfter) {
        this.state = state;
        this.nodes = nodes;
        this.machine = machine;
        this.committer = committer;
        this.budget = budget;
        this.clock = clock;
        this.lostAfterSilence = notReadyAfter.plus(podsLostAfter);
        this.termStart = clock.instant();
    }

    /** One pass: mark silent nodes NOT_READY, then give up the pods of nodes silent past the LOST timeout. */
    public void check() {
        nodes.markSilentNodes();
        Instant now = clock.instant();
        List<Transition> transitions = new ArrayList<>();
        int deferred = 0;
        int fleet = -1;
        for (Node node : state.notReadyNodes()) {
            if (node.getState() != NodeState.NODE_STATE_NOT_READY || !silentSince(node).plus(lostAfterSilence).isBefore(now)) {
                continue;
            }
            List<Pod> pods = new ArrayList<>(state.activePodsOn(node.getId()));
            pods.sort(Comparator.comparing(Pod::getId));
            for (Pod pod : pods) {
                if (restartable(pod)) {
                    fleet = fleet < 0 ? state.activePodCount() : fleet;
                    if (!budget.tryTake(fleet)) {
                        deferred++;
                        continue;
                    }
                }
                transitions.add(machine.apply(pod, new PodEvent.NodeLost(node.getId())));
            }
        }
        if (!transitions.isEmpty()) {
            log.info("Gave up {} pods of lost nodes{}", transitions.size(),
                    deferred > 0 ? "; " + deferred + " more wait for the reschedule budget" : "");
            committer.commit(transitions);
        } else if (deferred > 0 && deferred != deferredLastCheck) {
            log.info("{} pods of lost nodes wait for the reschedule budget", deferred);
        }
        deferredLastCheck = deferred;
    }

    private Instant silentSince(Node node) {
        Instant last = state.lastHeartbeat(node).orElse(null);
        return last == null || last.isBefore(termStart) ? termStart : last;
    }

    /** Whether the pod would move (and so weigh on the other nodes): wanted, and allowed to restart. */
    static boolean restartable(Pod pod) {
        return PodStateMachine.mayRestart(pod.getSpec()) && pod.getDesired() != DesiredState.DESIRED_STATE_KILL;
    }
}
