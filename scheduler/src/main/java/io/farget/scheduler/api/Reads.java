package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import io.farget.scheduler.leader.ZooKeeperOutage;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.LastKnownState;
import java.util.Optional;

/**
 * Picks where a read is served from, so any replica answers reads even while ZooKeeper is out of
 * reach: the leader from its memory; a standby from ZooKeeper; either from the last state it knew
 * when ZooKeeper cannot be used.
 */
public final class Reads {
    private final Leadership leadership;
    private final ClusterReader reader;
    private final LastKnownState lastKnown;

    public Reads(Leadership leadership, ClusterReader reader, LastKnownState lastKnown) {
        this.leadership = leadership;
        this.reader = reader;
        this.lastKnown = lastKnown;
    }

    /** The read model for a call arriving now. @throws FargetException UNAVAILABLE when nothing is known */
    ReadModel now() {
        Optional<LeaderTerm> term = leadership.current();
        if (term.isPresent()) {
            return new ReadModel.Memory(term.get().state());
        }
        Optional<ZooKeeperOutage> outage = leadership.zooKeeperOutage();
        if (outage.isEmpty()) {
            return new ReadModel.Stored(reader, lastKnown);
        }
        return lastKnown.snapshot()
                .<ReadModel>map(ReadModel.Remembered::new)
                .orElseThrow(() -> FargetException.unavailable(outage.get().getMessage() + "; this replica has no earlier state to show"));
    }

    /** Reads the whole state once, so this replica has something to show should ZooKeeper go away. */
    public void warmUp() {
        try {
            lastKnown.remember(reader.loadPods(), reader.loadNodes());
        } catch (FargetException e) {
            // Nothing lost: the next successful read fills it.
        }
    }
}
