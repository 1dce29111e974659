package io.farget.scheduler.leader;

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
}
