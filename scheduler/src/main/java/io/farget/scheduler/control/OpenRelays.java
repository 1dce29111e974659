package io.farget.scheduler.control;

import io.farget.common.FargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relays open through agents' streams (log tails, execs), by request id, each owned by the node
 * whose agent serves it: when that node's stream goes, or the leader's term ends, every relay still
 * open is failed so no client waits forever.
 */
final class OpenRelays<S extends RelaySink> {
    record Entry<S>(String nodeId, S sink) {}

    private final Map<String, Entry<S>> open = new ConcurrentHashMap<>();

    void put(String id, String nodeId, S sink) {
        open.put(id, new Entry<>(nodeId, sink));
    }

    Entry<S> get(String id) {
        return open.get(id);
    }

    Entry<S> remove(String id) {
        return open.remove(id);
    }

    /** The node's stream closed: its relays cannot finish. */
    void nodeGone(String nodeId) {
        open.entrySet().removeIf(e -> {
            if (e.getValue().nodeId().equals(nodeId)) {
                e.getValue().sink().fail(FargetException.unavailable("node " + nodeId + " disconnected"));
                return true;
            }
            return false;
        });
    }

    void closeAll(FargetException why) {
        List<Entry<S>> all = List.copyOf(open.values());
        open.clear();
        all.forEach(o -> o.sink().fail(why));
    }
}
