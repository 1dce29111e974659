package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.proto.v1.Pod;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import io.farget.scheduler.state.FencedOutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes finished pods once their retention is over, from ZooKeeper first and then from the
 * leader's memory. Without it every pod ever run stays in both: a fleet finishing one pod a second
 * adds 86,400 pods a day to the leader's heap (about 4 KB each) and to ZooKeeper, which holds all of
 * its data in memory too. Their usage is not touched: it lives in the ledger, billed as before.
 *
 * <p>Runs on the leader loop, a bounded batch per turn so that a backlog (a retention just
 * shortened, a leader back after a long outage) never holds the loop for long.
 */
public final class FinishedPodCollector {
    private static final Logger log = LoggerFactory.getLogger(FinishedPodCollector.class);
    /** How often the leader looks for pods to remove. */
    public static final Duration PERIOD = Duration.ofSeconds(30);
    /** Pods removed per turn at most: 5,000 deletes are 50 ZooKeeper transactions. */
    static final int BATCH = 5_000;

    private final ClusterState state;
    private final ClusterWriter writer;
    private final Clock clock;
    private final Duration retention;
    private long removed;

    public FinishedPodCollector(ClusterState state, ClusterWriter writer, Clock clock, Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("the retention of finished pods cannot be negative, got " + retention);
        }
        this.state = state;
        this.writer = writer;
        this.clock = clock;
        this.retention = retention;
    }

    /** Removes up to a batch of pods that finished more than the retention ago; returns how many. */
    public int collect() {
        List<Pod> due = state.finishedBefore(clock.instant().minus(retention), BATCH);
        if (due.isEmpty()) {
            return 0;
        }
        try {
            writer.deletePods(due);
        } catch (FencedOutException e) {
            throw e; // a newer leader: the loop ends this term
        } catch (FargetException e) {
            log.warn("Could not remove {} finished pods, trying again in {} s: {}", due.size(), PERIOD.toSeconds(), e.getMessage());
            return 0;
        }
        state.removeFinished(due);
        removed += due.size();
        log.info("Removed {} pods finished more than {} ago ({} so far this term)", due.size(),
                retention.toString().substring(2).toLowerCase(java.util.Locale.ROOT), removed); // PT1H -> 1h
        return due.size();
    }
}
