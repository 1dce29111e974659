package io.farget.scheduler.leader;

import io.farget.common.FargetException;
import io.farget.common.NotLeaderException;
import java.util.Optional;

/** Whether this replica leads right now, and if so the services of its term. */
public interface Leadership {
    /** The current term, empty on a standby (or while leadership changes hands). */
    Optional<LeaderTerm> current();

    default boolean isLeader() {
        return current().isPresent();
    }

    /** HOST:PORT of the leader as ZooKeeper says, if any; never throws. */
    Optional<String> leaderAddress();

    /** This replica's own HOST:PORT. */
    String address();

    /**
     * Why this replica cannot use ZooKeeper right now (its message starts with "ZooKeeper
     * unavailable: "); empty while it is connected. Answers at once, never waits.
     */
    Optional<ZooKeeperOutage> zooKeeperOutage();

    /**
     * The term to serve a leader-only call with. Otherwise fails at once: UNAVAILABLE when ZooKeeper
     * is out of reach (no replica can lead then, so there is nobody to redirect to), else NOT_LEADER
     * naming the leader if one is known.
     */
    default LeaderTerm requireLeader() {
        Optional<LeaderTerm> term = current();
        if (term.isPresent()) {
            return term.get();
        }
        throw notLeaderFailure();
    }

    /** What a leader-only call gets from a replica that does not lead: see {@link #requireLeader()}. */
    default FargetException notLeaderFailure() {
        Optional<ZooKeeperOutage> outage = zooKeeperOutage();
        if (outage.isPresent()) {
            return outage.get();
        }
        return new NotLeaderException(leaderAddress().orElse(null));
    }
}
