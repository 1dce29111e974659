package io.farget.scheduler.node;

import io.farget.common.FargetException;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Register;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes the leader knows, kept in ZooKeeper and in memory, and their liveness: a stream open and
 * heartbeating is READY; a silent heartbeat (longer than {@code notReadyAfter}) or a closed stream is
 * NOT_READY. Heartbeats only touch memory; ZooKeeper is written when a node's state changes.
 *
 * <p>Not thread-safe: called from the leader loop only.
 */
public final class NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    private static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");

    private final ClusterState state;
    private final ClusterWriter writer;
    private final Clock clock;
    private final Duration notReadyAfter;
    private final HeartbeatPacing pacing;

    public NodeRegistry(ClusterState state, ClusterWriter writer, Clock clock, Duration notReadyAfter, HeartbeatPacing pacing) {
        this.state = state;
        this.writer = writer;
        this.clock = clock;
        this.notReadyAfter = notReadyAfter;
        this.pacing = pacing;
    }

    /** Records the node from its Register message as READY. */
    public Node register(Register register) {
        validate(register);
        Node before = state.node(register.getNodeId()).orElse(null);
        boolean known = before != null;
        Instant now = clock.instant();
        Node.Builder admin = Node.newBuilder(); // what operators decided survives the agent's restarts
        if (before != null) {
            admin.setCordoned(before.getCordoned()).setDraining(before.getDraining());
            if (before.hasDrainDeadline()) {
                admin.setDrainDeadline(before.getDrainDeadline());
            }
        }
        Node node = admin
                .setId(register.getNodeId())
                .setHostname(register.getHostname())
                .setArch(register.getArch())
                .setState(admin.getDraining() ? NodeState.NODE_STATE_DRAINING : NodeState.NODE_STATE_READY)
                .setCapacity(register.getCapacity())
                .putAllLabels(register.getLabelsMap())
                .setGpus(register.getGpus())
                .setOs(register.getOs())
                .setAgentVersion(register.getAgentVersion())
                .setRegisteredAt(Timestamps.of(now))
                .setLastHeartbeatAt(Timestamps.of(now))
                .build();
        save(List.of(node));
        pacing.assign(node.getId(), state.nodeCount());
        log.info("Node {} registered ({}, {} cpu millis, {} bytes, {})", node.getId(), node.getHostname(),
                node.getCapacity().getCpuMillis(), node.getCapacity().getMemoryBytes(), known ? "known" : "new");
        return node;
    }

    /** How often the node is to heartbeat (paced by the fleet's size when it registered). */
    public Duration heartbeatInterval(String nodeId) {
        return pacing.intervalOf(nodeId);
    }

    /**
     * Notes the heartbeat of a live node at once, from any thread (it changes nothing stored); false
     * when the node is not live (not registered yet, or NOT_READY): then {@link #heartbeat} must run
     * on the loop to bring it back.
     */
    public boolean noteIfLive(String nodeId) {
        Node node = state.node(nodeId).orElse(null);
        if (node == null || !isLive(node)) {
            return false;
        }
        state.heartbeat(nodeId, clock.instant());
        return true;
    }

    /** Notes a heartbeat; true when it brought a silent node back to READY. */
    public boolean heartbeat(String nodeId) {
        Node node = state.node(nodeId).orElse(null);
        if (node == null) {
            return false;
        }
        Instant now = clock.instant();
        if (node.getState() == NodeState.NODE_STATE_NOT_READY) {
            save(List.of(node.toBuilder().setLastHeartbeatAt(Timestamps.of(now)).setState(liveState(node)).build()));
            log.info("Node {} is heartbeating again: READY", nodeId);
            return true;
        }
        state.heartbeat(nodeId, now);
        return false;
    }

    /** The node's stream closed. */
    public void disconnected(String nodeId) {
        state.node(nodeId).filter(NodeRegistry::isLive).ifPresent(n -> {
            save(List.of(n.toBuilder().setState(NodeState.NODE_STATE_NOT_READY).build()));
            log.info("Node {} lost: its stream closed (NOT_READY)", nodeId);
        });
    }

    /** Marks READY nodes that went silent as NOT_READY; returns their ids. */
    public List<String> markSilentNodes() {
        // Runs every second over the whole fleet: no copy of it, and no allocation per node.
        long now = clock.millis();
        List<Node> silent = new ArrayList<>();
        for (Node node : state.nodesView()) {
            if (!isLive(node)) {
                continue;
            }
            long last = state.lastHeartbeatMillis(node);
            if (last == ClusterState.NEVER || last < now - pacing.silenceAllowedMillis(node.getId(), notReadyAfter)) {
                silent.add(node.toBuilder().setState(NodeState.NODE_STATE_NOT_READY).build());
            }
        }
        if (!silent.isEmpty()) {
            save(silent);
            silent.forEach(n -> log.info("Node {} lost: no heartbeat for {} s (NOT_READY)", n.getId(),
                    pacing.silenceAllowed(n.getId(), notReadyAfter).toSeconds()));
        }
        return silent.stream().map(Node::getId).toList();
    }

    /** At takeover no agent is connected to us yet: nothing is READY until it registers. */
    public void markAllNotReady() {
        List<Node> ready = state.nodes().stream()
                .filter(NodeRegistry::isLive)
                .map(n -> n.toBuilder().setState(NodeState.NODE_STATE_NOT_READY).build())
                .toList();
        save(ready);
    }

    /**
     * Cordons or uncordons the node: a cordoned node takes no new pods. Uncordoning also ends a
     * drain. Setting what is already set writes nothing, so a retried request is harmless.
     */
    public Node cordon(String nodeId, boolean cordoned) {
        Node node = state.node(nodeId).orElseThrow(() -> FargetException.notFound("node " + nodeId));
        Node.Builder b = node.toBuilder().setCordoned(cordoned);
        if (!cordoned) {
            b.setDraining(false).clearDrainDeadline();
        }
        b.setState(node.getState() == NodeState.NODE_STATE_NOT_READY ? NodeState.NODE_STATE_NOT_READY : liveState(b.build()));
        Node after = b.build();
        if (!after.equals(node)) {
            save(List.of(after));
            log.info("Node {} {}", nodeId, cordoned ? "cordoned: no new pods" : "uncordoned: takes new pods again");
        }
        return after;
    }

    /** Starts draining the node (cordoned, DRAINING); {@code deadline} null: no deadline. A repeat keeps the first deadline. */
    public Node drain(String nodeId, Instant deadline) {
        Node node = state.node(nodeId).orElseThrow(() -> FargetException.notFound("node " + nodeId));
        if (node.getDraining()) {
            return node;
        }
        Node.Builder b = node.toBuilder().setCordoned(true).setDraining(true);
        if (deadline != null) {
            b.setDrainDeadline(Timestamps.of(deadline));
        }
        b.setState(node.getState() == NodeState.NODE_STATE_NOT_READY ? NodeState.NODE_STATE_NOT_READY : NodeState.NODE_STATE_DRAINING);
        Node after = b.build();
        save(List.of(after));
        log.info("Node {} draining{}", nodeId, deadline == null ? " (no deadline)" : " until " + deadline);
        return after;
    }

    /** Whether the node's agent is with us: heartbeating, whether or not it takes new pods. */
    public static boolean isLive(Node node) {
        return node.getState() == NodeState.NODE_STATE_READY || node.getState() == NodeState.NODE_STATE_DRAINING;
    }

    /** The state a live node shows: DRAINING while drained, else READY. */
    private static NodeState liveState(Node node) {
        return node.getDraining() ? NodeState.NODE_STATE_DRAINING : NodeState.NODE_STATE_READY;
    }

    public boolean isReady(String nodeId) {
        return state.node(nodeId).map(n -> n.getState() == NodeState.NODE_STATE_READY).orElse(false);
    }

    private void save(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        Set<String> existing = nodes.stream().map(Node::getId)
                .filter(id -> state.node(id).isPresent()).collect(Collectors.toSet());
        writer.saveNodes(nodes, existing);
        nodes.forEach(state::putNode);
    }

    private static void validate(Register register) {
        if (!NODE_ID.matcher(register.getNodeId()).matches()) {
            throw FargetException.invalid("register.node_id", "'" + register.getNodeId()
                    + "' is not a node id (1-128 letters, digits, '.', '_', ':' or '-')");
        }
        if (register.getArch() != Arch.ARCH_X86_64 && register.getArch() != Arch.ARCH_AARCH64) {
            throw FargetException.invalid("register.arch", "must be x86_64 or aarch64");
        }
        if (register.getCapacity().getCpuMillis() <= 0 || register.getCapacity().getMemoryBytes() <= 0) {
            throw FargetException.invalid("register.capacity", "must be greater than 0");
        }
    }
}
