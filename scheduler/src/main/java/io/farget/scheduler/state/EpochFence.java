package io.farget.scheduler.state;

import io.farget.common.FargetException;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** The leadership epoch: the version of {@code /farget/epoch}, bumped by each new leader. */
public final class EpochFence {
    private EpochFence() {}

    /**
     * Bumps the epoch and returns it with a writer fenced on it. From now on every writer holding an
     * older epoch fails.
     */
    public static FencedWriter takeNextEpoch(CuratorFramework client, String holder) {
        try {
            ensureBaseNodes(client);
            Stat stat = client.setData().forPath(ZkLayout.EPOCH, holder.getBytes(StandardCharsets.UTF_8));
            return new FencedWriter(client, stat.getVersion());
        } catch (Exception e) {
            throw FargetException.unavailable("cannot bump the leadership epoch: " + e);
        }
    }

    /** The current epoch, 0 when no leader was ever elected. */
    public static long current(CuratorFramework client) {
        try {
            Stat stat = client.checkExists().forPath(ZkLayout.EPOCH);
            return stat == null ? 0 : stat.getVersion();
        } catch (Exception e) {
            throw FargetException.unavailable("cannot read the leadership epoch: " + e);
        }
    }

    /** Creates the persistent folders the layout needs; harmless when they exist. */
    public static void ensureBaseNodes(CuratorFramework client) throws Exception {
        for (String path : new String[] {ZkLayout.PODS, ZkLayout.NODES, ZkLayout.REQUESTS, ZkLayout.SCHEDULERS, ZkLayout.EPOCH}) {
            if (client.checkExists().forPath(path) == null) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
                } catch (KeeperException.NodeExistsException raced) {
                    // another replica created it first
                }
            }
        }
    }
}
