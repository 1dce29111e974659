package io.farget.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single ZooKeeper server in the benchmark's JVM on 127.0.0.1 and a free port, with its data in
 * a folder of its own. Writes are synced to disk as in production (ZooKeeper batches the syncs of
 * concurrent writes itself).
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final ZooKeeperServerEmbedded server;
    private final Path dataDir;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static EmbeddedZooKeeper start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Properties config = new Properties();
        config.setProperty("clientPort", "0");
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("tickTime", "500");
        config.setProperty("admin.enableServer", "false");
        config.setProperty("maxClientCnxns", "0");
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dataDir)
                .configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        try {
            server.start(START_TIMEOUT_MILLIS);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return new EmbeddedZooKeeper(server, dataDir);
    }

    String connectString() throws Exception {
        return server.getConnectionString();
    }

    @Override
    public void close() {
        server.close();
        HollowFleet.deleteTree(dataDir);
    }
}
