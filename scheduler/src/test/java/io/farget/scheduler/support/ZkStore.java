package io.farget.scheduler.support;

import io.farget.scheduler.state.EpochFence;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh ZooKeeper per test with the scheduler's base folders made, and a client to it: what a
 * test of the stored state (writers, ledger, collector) starts from. Register it as a field with
 * {@code @RegisterExtension}; it stops both after each test, whatever the outcome.
 */
public final class ZkStore implements BeforeEachCallback, AfterEachCallback {
    private TestingServer server;
    private CuratorFramework client;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = Zk.startServer();
        client = Zk.client(server);
        EpochFence.ensureBaseNodes(client);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Zk.closeQuietly(client, server);
    }

    public CuratorFramework client() {
        return client;
    }
}
