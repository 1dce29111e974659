package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.common.PodPhases;
import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodUsageSample;
import io.farget.proto.v1.Register;
import io.farget.proto.v1.Registered;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.proto.v1.UsageReport;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.SideEffect;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.metering.Metering;
import io.farget.scheduler.node.AgentChannel;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.FencedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the leader does with each message of an agent's stream. Everything that touches state runs
 * on the leader loop, in the order the stream delivered it.
 */
public final class AgentEvents {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentEvents.class);
    private final LeaderLoop loop;
    private final ClusterState state;
    private final NodeRegistry nodes;
    private final NodeConnections connections;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final PlacementTrigger placement;
    private final LogRelay logs;
    private final Metering metering;
    private final Registered.Builder registered;
    private final AgentInbox<Item> inbox;

    /** One message of an agent, as queued for the loop. */
    private sealed interface Item {}

    private record Report(String nodeId, PodReport report) implements Item {}

    private record Usage(String nodeId, UsageReport report) implements Item {}

    private record Heartbeat(String nodeId) implements Item {}

    /** Needs everything before it stored first (registration, stream end, a graceful close). */
    private record Barrier(Runnable action) implements Item {}

    public AgentEvents(LeaderLoop loop, ClusterState state, NodeRegistry nodes, NodeConnections connections,
                       PodStateMachine machine, PodCommitter committer, PlacementTrigger placement, LogRelay logs,
                       Metering metering, Duration usageInterval) {
        this.loop = loop;
        this.state = state;
        this.nodes = nodes;
        this.connections = connections;
        this.machine = machine;
        this.committer = committer;
        this.placement = placement;
        this.logs = logs;
        this.metering = metering;
        this.registered = Registered.newBuilder() // the heartbeat interval is each node's own (NodeRegistry)
                .setUsageIntervalMillis(usageInterval.toMillis());
        this.inbox = new AgentInbox<>(loop, this::handle);
    }

    /** Register: record the node, answer Registered, then reconcile the pods it reported. */
    public void registered(AgentChannel channel, Register register) {
        inbox.add(new Barrier(() -> {
            try {
                nodes.register(register);
            } catch (FencedOutException e) {
                throw e; // the loop ends our leadership
            } catch (FargetException refused) {
                channel.close(refused);
                return;
            }
            String nodeId = register.getNodeId();
            connections.attach(nodeId, channel);
            channel.send(SchedulerMessage.newBuilder().setRegistered(registered.clone().setNodeId(nodeId)
                    .setHeartbeatIntervalMillis(nodes.heartbeatInterval(nodeId).toMillis())));
            reconcile(nodeId, register.getPodsList());
            placement.request();
        }));
    }

    /** Runs {@code action} on the leader loop after every event queued before it. */
    public void afterPending(Runnable action) {
        inbox.add(new Barrier(action));
    }

    /**
     * A live node's heartbeat counts when it arrives, not when the loop gets to it: queued behind a
     * burst of reports (a few thousand pods created at once start together) it would come too late,
     * and the node be taken for silent and its pods for lost. Only bringing a silent node back, or
     * one not registered yet, waits for the loop, in stream order.
     */
    public void heartbeat(String nodeId) {
        if (!nodes.noteIfLive(nodeId)) {
            inbox.add(new Heartbeat(nodeId));
        }
    }

    public void report(String nodeId, PodReport report) {
        inbox.add(new Report(nodeId, report));
    }

    /**
     * Usage samples update the in-memory view and the ledger only: at 100,000 pods, a ZooKeeper write
     * per sample would swamp it. The ledger writes in batches; the pod's usage reaches ZooKeeper with
     * its next status write (and the final report). Samples of an attempt that is over (a late or
     * buffered one) still count in the ledger, idempotent by their sequence number.
     */
    public void usage(String nodeId, UsageReport report) {
        inbox.add(new Usage(nodeId, report));
    }

    /** On the loop: one batch of agent messages in arrival order, status changes stored together. */
    private void handle(List<Item> items) {
        Batch batch = new Batch();
        for (Item item : items) {
            try {
                if (item instanceof Report r) {
                    batch.report(r.nodeId(), r.report());
                } else if (item instanceof Usage u) {
                    batch.usage(u.nodeId(), u.report());
                } else if (item instanceof Heartbeat h) {
                    if (nodes.heartbeat(h.nodeId())) {
                        placement.request();
                    }
                } else if (item instanceof Barrier b) {
                    batch.commit();
                    b.action().run();
                }
            } catch (FencedOutException e) {
                throw e; // the loop ends our leadership
            } catch (RuntimeException e) {
                // One message failing must not drop the others queued with it; an unstored report is
                // re-sent with the agent's next Register.
                log.warn("Handling a message of an agent failed: {}", e.toString());
            }
        }
        batch.commit();
    }

    /**
     * Transitions of one batch, not stored yet: later messages about the same pod build on the
     * newest version ({@link #latest}), and the whole batch is stored in one go before anything
     * else reads state (a barrier, or the end of the batch).
     */
    private final class Batch {
        private final List<Transition> staged = new ArrayList<>();
        private final Map<String, Pod> latest = new HashMap<>();
        /** Pods whose newest version carries usage on top of a staged change: put in memory after the commit. */
        private final Set<String> usageOnStaged = new HashSet<>();

        private Optional<Pod> pod(String podId) {
            Pod newest = latest.get(podId);
            return newest != null ? Optional.of(newest) : state.pod(podId);
        }

        void report(String nodeId, PodReport report) {
            Pod pod = pod(report.getPodId()).orElse(null);
            if (pod == null) {
                committer.run(new SideEffect.Kill(nodeId, report.getPodId(), "unknown pod"));
            } else if (supersededAndRunning(pod, report)) {
                committer.run(new SideEffect.Kill(nodeId, pod.getId(), "attempt " + report.getAttempt() + " was replaced"));
            } else if (pod.getStatus().getNodeId().equals(nodeId)) {
                Transition t = machine.apply(pod, new PodEvent.Reported(report));
                staged.add(t);
                if (t.changed()) {
                    latest.put(pod.getId(), t.after());
                }
            } else if (!PodPhases.isTerminal(report.getPhase())) {
                // Still running on a node the pod has left (given up while the node was cut off, then
                // placed elsewhere): only one copy may run.
                committer.run(new SideEffect.Kill(nodeId, pod.getId(), "pod is assigned to another node"));
            } // else: a late report of an attempt that is over (its usage still counts)
            if (pod != null && report.hasUsage()) {
                metering.sample(report.getPodId(), report.getAttempt(), report.getUsage());
            }
        }

        void usage(String nodeId, UsageReport report) {
            for (PodUsageSample sample : report.getSamplesList()) {
                Optional<Pod> pod = pod(sample.getPodId());
                if (pod.isPresent()) {
                    metering.sample(sample.getPodId(), sample.getAttempt(), sample.getUsage());
                }
                pod.filter(p -> p.getStatus().getNodeId().equals(nodeId))
                        .map(p -> machine.apply(p, new PodEvent.UsageSampled(sample.getAttempt(), sample.getUsage())))
                        .filter(Transition::changed)
                        .ifPresent(t -> {
                            String id = t.after().getId();
                            if (latest.containsKey(id)) {
                                latest.put(id, t.after());
                                usageOnStaged.add(id);
                            } else {
                                state.putUsage(t.after());
                            }
                        });
            }
        }

        void commit() {
            try {
                if (!staged.isEmpty()) {
                    committer.commit(staged);
                }
                for (String id : usageOnStaged) {
                    Pod newest = latest.get(id);
                    if (state.pod(id).orElse(null) != newest) {
                        state.putUsage(newest); // the staged change is stored and told; only the usage is new
                    }
                }
            } finally {
                staged.clear();
                latest.clear();
                usageOnStaged.clear();
            }
        }
    }

    public void logData(String nodeId, LogData data) {
        logs.deliver(nodeId, data);
    }

    /** The stream ended; if it was the node's current one, the node is no longer ready. */
    public void closed(String nodeId, AgentChannel channel) {
        inbox.add(new Barrier(() -> {
            if (connections.detach(nodeId, channel)) {
                nodes.disconnected(nodeId);
                logs.nodeGone(nodeId);
            }
        }));
    }

    /**
     * An older attempt still running, e.g. on a node that came back after its pods were given up
     * and then placed there again: the newer attempt wins, the old one is killed.
     */
    private static boolean supersededAndRunning(Pod pod, PodReport report) {
        return report.getAttempt() < pod.getStatus().getAttempt() && !PodPhases.isTerminal(report.getPhase())
                && report.getPhase() != io.farget.proto.v1.PodPhase.POD_PHASE_PENDING;
    }

    /**
     * Brings the leader's view and the agent's in line: apply each report; kill what the leader does
     * not want there; re-launch what it placed there that the agent does not know; fail what the
     * agent lost while running.
     */
    private void reconcile(String nodeId, List<PodReport> reports) {
        List<Transition> transitions = new ArrayList<>();
        List<SideEffect> kills = new ArrayList<>();
        // Attempts, not pods: a final report of an earlier attempt (kept in the agent's journal) must
        // not hide that the agent lost the current one.
        Set<String> reported = new HashSet<>();
        for (PodReport report : reports) {
            reported.add(attemptKey(report.getPodId(), report.getAttempt()));
            Pod pod = state.pod(report.getPodId()).orElse(null);
            if (pod == null) {
                kills.add(new SideEffect.Kill(nodeId, report.getPodId(), "unknown pod"));
            } else if (!pod.getStatus().getNodeId().equals(nodeId)) {
                if (!PodPhases.isTerminal(report.getPhase())) {
                    kills.add(new SideEffect.Kill(nodeId, pod.getId(), "pod is assigned to another node"));
                }
            } else if (supersededAndRunning(pod, report)) {
                kills.add(new SideEffect.Kill(nodeId, pod.getId(), "attempt " + report.getAttempt() + " was replaced"));
            } else if (report.getAttempt() == pod.getStatus().getAttempt()) {
                transitions.add(machine.apply(pod, new PodEvent.Reported(report)));
                if (pod.getDesired() == DesiredState.DESIRED_STATE_KILL && !PodPhases.isTerminal(report.getPhase())) {
                    kills.add(new SideEffect.Kill(nodeId, pod.getId(), "killed on request"));
                }
            }
        }
        for (Pod pod : state.activePodsOn(nodeId)) {
            if (!reported.contains(attemptKey(pod.getId(), pod.getStatus().getAttempt()))) {
                transitions.add(machine.apply(pod, new PodEvent.MissingOnAgent()));
            }
        }
        committer.commit(transitions);
        for (PodReport report : reports) {
            if (report.hasUsage() && state.pod(report.getPodId()).isPresent()) {
                metering.sample(report.getPodId(), report.getAttempt(), report.getUsage()); // counters kept while we were away
            }
        }
        kills.forEach(committer::run);
    }

    private static String attemptKey(String podId, int attempt) {
        return podId + '#' + attempt;
    }
}
