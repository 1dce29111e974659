package io.farget.scheduler.state;

import io.farget.common.FargetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/**
 * The only way the leader writes: every multi-op starts with {@code check(/farget/epoch, epoch)},
 * so once a newer leader bumps the epoch, all writes of this one fail as a whole.
 */
public final class FencedWriter {
    /** Keeps each multi-op request far below ZooKeeper's 1 MiB jute.maxbuffer. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int MAX_BATCH_OPS = 200;

    private final CuratorFramework client;
    private final long epoch;

    public FencedWriter(CuratorFramework client, long epoch) {
        this.client = client;
        this.epoch = epoch;
    }

    public long epoch() {
        return epoch;
    }

    /**
     * Commits {@code writes} atomically in one multi-op.
     *
     * @throws FencedOutException when the epoch has moved on
     * @throws KeeperException    when another operation failed (e.g. NodeExists); nothing was written
     */
    public void commit(List<ZkWrite> writes) throws KeeperException {
        if (writes.isEmpty()) {
            return;
        }
        List<CuratorOp> ops = new ArrayList<>(writes.size() + 1);
        try {
            TransactionOp tx = client.transactionOp();
            ops.add(tx.check().withVersion(Math.toIntExact(epoch)).forPath(ZkLayout.EPOCH));
            for (ZkWrite write : writes) {
                ops.add(toOp(tx, write));
            }
            client.transaction().forOperations(ops);
        } catch (KeeperException e) {
            if (isEpochCheckFailure(e)) {
                throw new FencedOutException(epoch);
            }
            throw e;
        } catch (Exception e) {
            throw FargetException.unavailable("ZooKeeper write failed: " + e);
        }
    }

    /** Commits {@code writes} in as many fenced multi-ops as their size needs; each batch is atomic. */
    public void commitInBatches(List<ZkWrite> writes) throws KeeperException {
        List<ZkWrite> batch = new ArrayList<>();
        int bytes = 0;
        for (ZkWrite write : writes) {
            if (!batch.isEmpty() && (batch.size() >= MAX_BATCH_OPS || bytes + write.weight() > MAX_BATCH_BYTES)) {
                commit(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(write);
            bytes += write.weight();
        }
        commit(batch);
    }

    private static CuratorOp toOp(TransactionOp tx, ZkWrite write) throws Exception {
        if (write instanceof ZkWrite.Create c) {
            return tx.create().withMode(c.mode()).forPath(c.path(), c.data());
        }
        if (write instanceof ZkWrite.Update u) {
            return tx.setData().forPath(u.path(), u.data());
        }
        return tx.delete().forPath(write.path());
    }

    /** The epoch check is always the first operation: its result says whether we were fenced. */
    private static boolean isEpochCheckFailure(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null || results.isEmpty()) {
            return e.code() == KeeperException.Code.BADVERSION;
        }
        return results.get(0) instanceof OpResult.ErrorResult error
                && error.getErr() != KeeperException.Code.OK.intValue()
                && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue();
    }
}
