package io.farget.scheduler.metering;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerShard;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodUsage;
import io.farget.scheduler.state.FencedOutException;
import io.farget.scheduler.state.FencedWriter;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's metering for one term: loads the stored ledger at takeover, applies samples and pod
 * changes in memory, and writes what changed in batches ({@link #flush}, on the leader loop's
 * timer; the writes themselves on a thread of their own). Losing unflushed changes to a crash
 * costs nothing: agents resend cumulative counters (every Register carries them), and the next
 * sample's delta covers the gap.
 */
public final class Metering implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Metering.class);

    private final UsageLedger ledger;
    private final LedgerStore store;
    private final FencedWriter writer;
    private final Function<String, Arch> nodeArch;
    private final int flushRounds;
    private final Writes writes;
    /** Flushes so far in this term; the first writes everything the takeover found changed. */
    private long flushes;

    private Metering(UsageLedger ledger, LedgerStore store, FencedWriter writer, Function<String, Arch> nodeArch,
                     int flushRounds, Writes writes) {
        this.ledger = ledger;
        this.store = store;
        this.writer = writer;
        this.nodeArch = nodeArch;
        this.flushRounds = flushRounds;
        this.writes = writes;
    }

    /**
     * Loads the ledger and catches up with the stored pods (whose ends may be newer than the last
     * flush). Flushes write on a thread of their own, in the order they were drained, so the leader
     * loop never waits on ZooKeeper for them (a flush at 100,000 running pods is megabytes); a write
     * refused by the epoch fence runs {@code onFenced}.
     */
    public static Metering takeOver(LedgerStore store, FencedWriter writer, MeteringSettings settings,
                                    Collection<Pod> pods, Function<String, Arch> nodeArch, Runnable onFenced) {
        ExecutorService writes = Executors.newSingleThreadExecutor(
                new ThreadFactoryBuilder().setNameFormat("farget-ledger-writer-%d").setDaemon(true).build());
        return takeOver(store, writer, settings, pods, nodeArch, new Writes(writes, e -> onFenced.run(), writes));
    }

    /** Like the other, with flushes written before {@link #flush} returns; it throws when fenced out. */
    public static Metering takeOver(LedgerStore store, FencedWriter writer, MeteringSettings settings,
                                    Collection<Pod> pods, Function<String, Arch> nodeArch) {
        return takeOver(store, writer, settings, pods, nodeArch, new Writes(Runnable::run, e -> {
            throw e;
        }, null));
    }

    private static Metering takeOver(LedgerStore store, FencedWriter writer, MeteringSettings settings,
                                     Collection<Pod> pods, Function<String, Arch> nodeArch, Writes writes) {
        store.ensureFolders();
        UsageLedger ledger = new UsageLedger(new LedgerLayout(settings.shards()));
        Map<String, LedgerShard> stored = store.load();
        ledger.load(stored);
        Metering metering = new Metering(ledger, store, writer, nodeArch, settings.flushRounds(), writes);
        pods.forEach(metering::podChanged);
        log.info("Usage ledger loaded: {} entries in {} shards", ledger.size(), stored.size());
        return metering;
    }

    public void podChanged(Pod pod) {
        ledger.podChanged(pod, nodeArch);
    }

    public void sample(String podId, int attempt, PodUsage usage) {
        ledger.sample(podId, attempt, usage);
    }

    /**
     * Writes the changed shards that are due: finished attempts at every flush, running ones in
     * turns ({@link MeteringSettings#runningFlushInterval}). On failure they stay dirty for the next.
     */
    public void flush() {
        long round = flushes++;
        Map<String, byte[]> changed = round == 0 ? ledger.drainDirty() : ledger.drainDue(round, flushRounds);
        if (!changed.isEmpty()) {
            writes.executor().execute(() -> write(changed));
        }
    }

    private void write(Map<String, byte[]> changed) {
        try {
            store.write(writer, changed);
            log.debug("Ledger flushed: {} shards", changed.size());
        } catch (FencedOutException e) {
            writes.fenced().accept(e); // a newer leader took over
        } catch (KeeperException | RuntimeException e) {
            ledger.markDirty(changed.keySet());
            log.warn("Ledger flush of {} shards failed, retrying next time: {}", changed.size(), e.toString());
            if (e instanceof KeeperException) {
                relearnNodes();
            }
        }
    }

    /** Our idea of which nodes exist was wrong: learn it again. */
    private void relearnNodes() {
        try {
            store.relearnNodes();
        } catch (RuntimeException e) {
            log.warn("Could not re-read the ledger's nodes: {}", e.getMessage());
        }
    }

    /** Stops the writer thread; a write in flight finishes or is refused by the epoch fence. */
    @Override
    public void close() {
        if (writes.owned() != null) {
            writes.owned().shutdown();
        }
    }

    /** Where flushes are written, who hears of a fenced-out write, and the thread to stop at the end (if ours). */
    private record Writes(Executor executor, Consumer<FencedOutException> fenced, ExecutorService owned) {}

    public UsageLedger ledger() {
        return ledger;
    }

    public LedgerStore store() {
        return store;
    }
}
