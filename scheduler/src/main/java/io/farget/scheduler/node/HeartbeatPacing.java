package io.farget.scheduler.node;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How often each agent heartbeats, so that the leader's heartbeat load stays bounded as the fleet
 * grows (Nomad's {@code max_heartbeats_per_second}): a node registering into a fleet of N nodes
 * gets {@code max(base, N / maxPerSecond)}. 5,000 agents at the 2 s base would send 2,500
 * heartbeats a second; paced at 500 a second they heartbeat every 10 s. The silence after which a
 * node is NOT_READY stretches with the interval it was given (the same number of missed
 * heartbeats), remembered per node: a node that joined a big fleet keeps its long interval after
 * the fleet shrinks. A crashed agent is still noticed at once by its stream closing.
 */
public final class HeartbeatPacing {
    /** Heartbeats per second the leader plans for; 5,000 nodes heartbeat every 10 s. */
    public static final double DEFAULT_MAX_PER_SECOND = 500;

    private final Duration base;
    private final double maxPerSecond;
    private final Map<String, Duration> given = new ConcurrentHashMap<>();

    public HeartbeatPacing(Duration base, double maxPerSecond) {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, not " + base);
        }
        if (!(maxPerSecond > 0)) {
            throw new IllegalArgumentException("heartbeats per second must be positive, not " + maxPerSecond);
        }
        this.base = base;
        this.maxPerSecond = maxPerSecond;
    }

    /** The interval for {@code nodeId} joining a fleet of {@code fleetSize} nodes (itself included); remembered. */
    public Duration assign(String nodeId, int fleetSize) {
        long pacedMillis = (long) Math.ceil(fleetSize * 1000.0 / maxPerSecond);
        Duration interval = pacedMillis > base.toMillis() ? Duration.ofMillis(pacedMillis) : base;
        given.put(nodeId, interval);
        return interval;
    }

    /** The interval {@code nodeId} was last given (the base one if none). */
    public Duration intervalOf(String nodeId) {
        return given.getOrDefault(nodeId, base);
    }

    /** {@code notReadyAfter} (set for the base interval) stretched to the node's interval: as many heartbeats missed. */
    public Duration silenceAllowed(String nodeId, Duration notReadyAfter) {
        return Duration.ofMillis(silenceAllowedMillis(nodeId, notReadyAfter));
    }

    /** {@link #silenceAllowed} in millis: the liveness check asks it for every node every second. */
    public long silenceAllowedMillis(String nodeId, Duration notReadyAfter) {
        Duration interval = given.get(nodeId);
        long allowed = notReadyAfter.toMillis();
        if (interval == null || interval.equals(base)) {
            return allowed; // the common case at small fleets: no stretching
        }
        return Math.max(allowed, Math.round(allowed * (double) interval.toMillis() / base.toMillis()));
    }
}
