package io.farget.scheduler.node;

import io.farget.common.FargetException;
import io.farget.proto.v1.SchedulerMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Which agents have a stream open to this leader: node id to channel, at most one per node. */
public final class NodeConnections {
    private final Map<String, AgentChannel> channels = new ConcurrentHashMap<>();
    /** Bumped whenever a node connects or disconnects: lets a cache of who is connected know it went stale. */
    private final AtomicLong changes = new AtomicLong();

    /** Attaches the node's new stream; an older stream of the same node is closed. */
    public void attach(String nodeId, AgentChannel channel) {
        AgentChannel old = channels.put(nodeId, channel);
        changes.incrementAndGet();
        if (old != null && old != channel) {
            old.close(FargetException.unavailable("replaced by a newer stream of node " + nodeId));
        }
    }

    /** Detaches the stream if it is still the node's current one; true when it was. */
    public boolean detach(String nodeId, AgentChannel channel) {
        boolean removed = channels.remove(nodeId, channel);
        if (removed) {
            changes.incrementAndGet();
        }
        return removed;
    }

    public boolean isConnected(String nodeId) {
        return channels.containsKey(nodeId);
    }

    /** How many times the set of connected nodes changed so far. */
    public long changes() {
        return changes.get();
    }

    public Optional<AgentChannel> channel(String nodeId) {
        return Optional.ofNullable(channels.get(nodeId));
    }

    /** Sends to the node if it is connected; false when it is not. */
    public boolean send(String nodeId, SchedulerMessage.Builder message) {
        AgentChannel channel = channels.get(nodeId);
        if (channel == null) {
            return false;
        }
        channel.send(message);
        return true;
    }

    public void closeAll(FargetException why) {
        List<AgentChannel> all = List.copyOf(channels.values());
        channels.clear();
        changes.incrementAndGet();
        all.forEach(c -> c.close(why));
    }
}
