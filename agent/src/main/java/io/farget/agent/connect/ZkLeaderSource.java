package io.farget.agent.connect;

import io.farget.common.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader as ZooKeeper names it: the ephemeral znode {@link ZkPaths#LEADER} holds its HOST:PORT.
 * A {@link CuratorCache} keeps a watch on it, so a new leader is noticed within a round trip.
 */
public final class ZkLeaderSource implements LeaderSource {
    private static final Logger log = LoggerFactory.getLogger(ZkLeaderSource.class);

    private final CuratorFramework client;
    private final boolean ownsClient;
    private final CuratorCache cache;
    private volatile Runnable onChange = () -> { };

    /** Uses (and later closes) a client of its own for {@code connectString}. */
    public static ZkLeaderSource connect(String connectString) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
                .sessionTimeoutMs(15_000)
                .connectionTimeoutMs(5_000)
                .build();
        client.start();
        return new ZkLeaderSource(client, true);
    }

    /** Uses a started client that the caller owns (many hollow agents may share one). */
    public static ZkLeaderSource using(CuratorFramework client) {
        return new ZkLeaderSource(client, false);
    }

    private ZkLeaderSource(CuratorFramework client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.cache = CuratorCache.build(client, ZkPaths.LEADER, CuratorCache.Options.SINGLE_NODE_CACHE);
        this.cache.listenable().addListener((type, oldData, data) -> {
            log.debug("Leader znode {}: {}", type, data == null ? null : text(data));
            onChange.run();
        });
        this.cache.start();
    }

    @Override
    public String next() {
        Optional<ChildData> data = cache.get(ZkPaths.LEADER);
        return data.map(ZkLeaderSource::text).filter(s -> !s.isBlank()).orElse(null);
    }

    private static String text(ChildData data) {
        return data.getData() == null ? "" : new String(data.getData(), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void onChange(Runnable callback) {
        this.onChange = callback;
        if (next() != null) {
            callback.run(); // the cache may have loaded the leader before anyone listened
        }
    }

    @Override
    public void close() {
        cache.close();
        if (ownsClient) {
            client.close();
        }
    }
}
