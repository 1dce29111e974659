package io.farget.bench.cluster;

import io.farget.agent.connect.LeaderSource;
import io.farget.agent.connect.ZkLeaderSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;

/**
 * One watch on the leader znode for a whole hollow fleet: 5,000 agents each with a cache of its own
 * would set 5,000 watches and re-read the znode 5,000 times per change. Each agent gets a
 * {@link #view()}; closing a view only unsubscribes it.
 */
final class SharedLeaderSource implements AutoCloseable {
    private final ZkLeaderSource source;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    SharedLeaderSource(CuratorFramework client) {
        this.source = ZkLeaderSource.using(client);
        this.source.onChange(() -> listeners.forEach(Runnable::run));
    }

    LeaderSource view() {
        return new LeaderSource() {
            private volatile Runnable callback;

            @Override
            public String next() {
                return source.next();
            }

            @Override
            public void onChange(Runnable onChange) {
                callback = onChange;
                listeners.add(onChange);
                if (source.next() != null) {
                    onChange.run();
                }
            }

            @Override
            public void close() {
                if (callback != null) {
                    listeners.remove(callback);
                }
            }
        };
    }

    @Override
    public void close() {
        listeners.clear();
        source.close();
    }
}
