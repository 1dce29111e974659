package io.farget.scheduler.metering;

import io.farget.common.FargetException;
import io.farget.proto.v1.LedgerShard;
import io.farget.scheduler.state.FencedWriter;
import io.farget.scheduler.state.ZkWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The ledger's shard nodes in ZooKeeper. Reads are plain; writes go through the leader's
 * {@link FencedWriter}, so a deposed leader can never overwrite the ledger, and many shards go in
 * one multi-op (one ZooKeeper transaction).
 */
public final class LedgerStore {
    static final int MAX_OPS_PER_TRANSACTION = 200;
    static final int MAX_BYTES_PER_TRANSACTION = 512 * 1024;

    /** The ledger's base folders, which always exist once {@link #ensureFolders} ran. */
    private static final List<String> FOLDERS = List.of(LedgerLayout.ROOT, LedgerLayout.ACTIVE, LedgerLayout.CLOSED);

    private final CuratorFramework client;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();

    public LedgerStore(CuratorFramework client) {
        this.client = client;
    }

    /** Creates the ledger's base folders; harmless when they exist (not fenced: it changes no data). */
    public void ensureFolders() {
        for (String path : FOLDERS) {
            try {
                if (client.checkExists().forPath(path) == null) {
                    client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
                }
            } catch (KeeperException.NodeExistsException raced) {
                // another replica made it
            } catch (Exception e) {
                throw FargetException.unavailable("cannot create " + path + ": " + e);
            }
            existing.add(path);
        }
    }

    /** Every stored shard by path; also learns which nodes exist. */
    public Map<String, LedgerShard> load() {
        Map<String, LedgerShard> shards = new HashMap<>();
        try {
            Listing listing = list();
            existing.clear();
            existing.addAll(FOLDERS);
            existing.addAll(listing.folders());
            for (String path : listing.shards()) {
                try {
                    shards.put(path, LedgerShard.parseFrom(client.getData().forPath(path)));
                    existing.add(path);
                } catch (KeeperException.NoNodeException gone) {
                    // removed between the listing and the read
                }
            }
        } catch (Exception e) {
            throw FargetException.unavailable("cannot read the usage ledger: " + e);
        }
        return shards;
    }

    /**
     * Learns again which nodes exist, reading names only: after a failed write our idea of them may
     * be wrong (an update of a node that is not there fails the whole transaction). The ledger's
     * content holds every attempt ever billed; reading it all to learn names would cost as much.
     */
    public void relearnNodes() {
        try {
            Listing listing = list();
            Set<String> found = new HashSet<>(FOLDERS);
            found.addAll(listing.folders());
            found.addAll(listing.shards());
            existing.retainAll(found);
            existing.addAll(found);
        } catch (Exception e) {
            throw FargetException.unavailable("cannot list the usage ledger's nodes: " + e);
        }
    }

    /** The day folders and shard nodes stored now, by name: no node's content is read. */
    private record Listing(List<String> folders, List<String> shards) {}

    private Listing list() throws Exception {
        List<String> folders = new ArrayList<>();
        List<String> shards = new ArrayList<>();
        children(LedgerLayout.ACTIVE).forEach(name -> shards.add(LedgerLayout.ACTIVE + "/" + name));
        for (String day : children(LedgerLayout.CLOSED)) {
            String folder = LedgerLayout.CLOSED + "/" + day;
            folders.add(folder);
            children(folder).forEach(name -> shards.add(folder + "/" + name));
        }
        return new Listing(folders, shards);
    }

    private List<String> children(String folder) throws Exception {
        try {
            return client.getChildren().forPath(folder);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /**
     * Writes the shards (encoded {@link LedgerShard}s) through {@code writer}: an update where the
     * node exists, else a create (with its day folder). Each transaction is atomic; a failed one throws with nothing of it written.
     *
     * @throws io.farget.scheduler.state.FencedOutException when a newer leader took over
     */
    public void write(FencedWriter writer, Map<String, byte[]> shards) throws KeeperException {
        List<ZkWrite> batch = new ArrayList<>();
        List<String> created = new ArrayList<>();
        int bytes = 0;
        for (Map.Entry<String, byte[]> shard : shards.entrySet()) {
            List<ZkWrite> ops = new ArrayList<>(2);
            String parent = LedgerLayout.parentOf(shard.getKey());
            if (!existing.contains(parent) && !created.contains(parent)) {
                ops.add(new ZkWrite.Create(parent, new byte[0], CreateMode.PERSISTENT));
                created.add(parent);
            }
            byte[] data = shard.getValue();
            ops.add(existing.contains(shard.getKey())
                    ? new ZkWrite.Update(shard.getKey(), data)
                    : new ZkWrite.Create(shard.getKey(), data, CreateMode.PERSISTENT));
            int weight = ops.stream().mapToInt(ZkWrite::weight).sum();
            if (!batch.isEmpty() && (batch.size() + ops.size() > MAX_OPS_PER_TRANSACTION || bytes + weight > MAX_BYTES_PER_TRANSACTION)) {
                commit(writer, batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.addAll(ops);
            bytes += weight;
        }
        commit(writer, batch);
    }

    private void commit(FencedWriter writer, List<ZkWrite> batch) throws KeeperException {
        if (batch.isEmpty()) {
            return;
        }
        writer.commit(batch);
        transactions.incrementAndGet();
        operations.addAndGet(batch.size());
        batch.forEach(w -> existing.add(w.path()));
    }

    /** ZooKeeper transactions (multi-ops) written, for the write-rate figures and metrics. */
    public long transactions() {
        return transactions.get();
    }

    /** Node creates and updates written. */
    public long operations() {
        return operations.get();
    }
}
