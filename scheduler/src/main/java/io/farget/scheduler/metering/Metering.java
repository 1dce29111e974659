package io.farget.scheduler.metering;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsage;
import io.farget.scheduler.state.FencedOutException;
import io.farget.scheduler.state.FencedWriter;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's metering for one term: loads the stored ledger at takeover, applies samples and pod
 * changes in memory, and writes what changed in batches ({@link #flush}, on the leader loop's
 * timer). Losing unflushed changes to a crash costs nothing: agents resend cumulative counters
 * (every Register carries them), and the next sample's delta covers the gap.
 */
public final class Metering {
    private static final Logger log = LoggerFactory.getLogger(Metering.class);

    private final UsageLedger ledger;
    private final LedgerStore store;
    private final FencedWriter writer;
    private final Function<String, Arch> nodeArch;

    private Metering(UsageLedger ledger, LedgerStore store, FencedWriter writer, Function<String, Arch> nodeArch) {
        this.ledger = ledger;
        this.store = store;
        this.writer = writer;
        this.nodeArch = nodeArch;
    }

    /** Loads the ledger and catches up with the stored pods (whose ends may be newer than the last flush). */
    public static Metering takeOver(LedgerStore store, FencedWriter writer, MeteringSettings settings,
                                    Collection<Pod> pods, Function<String, Arch> nodeArch) {
        store.ensureFolders();
        UsageLedger ledger = new UsageLedger(new LedgerLayout(settings.shards()));
        Map<String, LedgerShard> stored = store.load();
        ledger.load(stored);
        Metering metering = new Metering(ledger, store, writer, nodeArch);
        pods.forEach(metering::podChanged);
        log.info("Usage ledger loaded: {} entries in {} shards", ledger.entries().size(), stored.size());
        return metering;
    }

    public void podChanged(Pod pod) {
        ledger.podChanged(pod, nodeArch);
    }

    public void sample(String podId, int attempt, PodUsage usage) {
        ledger.sample(podId, attempt, usage);
    }

    /** Writes every changed shard; on failure they stay dirty for the next flush. */
    public void flush() {
        Map<String, LedgerShard> changed = ledger.drainDirty();
        if (changed.isEmpty()) {
            return;
        }
        try {
            store.write(writer, changed);
            log.debug("Ledger flushed: {} shards", changed.size());
        } catch (FencedOutException e) {
            throw e; // the leader loop ends our leadership
        } catch (KeeperException | RuntimeException e) {
            ledger.markDirty(changed.keySet());
            log.warn("Ledger flush of {} shards failed, retrying next time: {}", changed.size(), e.toString());
            if (e instanceof KeeperException) {
                store.load(); // our idea of which nodes exist was wrong: learn it again
            }
        }
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public LedgerStore store() {
        return store;
    }
}
