package io.farget.scheduler.state;

import io.farget.proto.v1.Node;
import io.farget.proto.v1.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest complete view of pods and nodes this replica has seen: the state a leader held when it
 * stepped down, or the last full read a standby made. Reads fall back to it while ZooKeeper is out
 * of reach, so operators can still look at their cluster during an outage.
 */
public final class LastKnownState {
    /** Pods and nodes as they were at {@code asOf}. */
    public record Snapshot(List<Pod> pods, List<Node> nodes, Instant asOf) {
        public Optional<Pod> pod(String id) {
            return pods.stream().filter(p -> p.getId().equals(id)).findFirst();
        }
    }

    private final Clock clock;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();

    public LastKnownState(Clock clock) {
        this.clock = clock;
    }

    /** Remembers a complete view read or held just now; an older one is dropped. */
    public void remember(Collection<Pod> pods, Collection<Node> nodes) {
        latest.set(new Snapshot(List.copyOf(pods), List.copyOf(nodes), clock.instant()));
    }

    /** Remembers newly read pods, keeping the nodes known before (a pods-only read). */
    public void rememberPods(Collection<Pod> pods) {
        Snapshot before = latest.get();
        remember(pods, before == null ? List.of() : before.nodes());
    }

    /** Remembers newly read nodes, keeping the pods known before (a nodes-only read). */
    public void rememberNodes(Collection<Node> nodes) {
        Snapshot before = latest.get();
        remember(before == null ? List.of() : before.pods(), nodes);
    }

    public Optional<Snapshot> snapshot() {
        return Optional.ofNullable(latest.get());
    }
}
