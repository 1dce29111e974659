package io.farget.scheduler.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server inside the JVM, for `farget dev` and the cluster benchmark: listens on
 * 127.0.0.1 only, on a port the kernel picks, and keeps its data in {@code baseDir} so state
 * survives a restart. Writes are synced to disk as in production.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
    /** A start that hangs (missing optional jars, a stuck port) must not hang `farget dev` with it. */
    private static final long START_TIMEOUT_SECONDS = 30;

    private final ZooKeeperServerEmbedded server;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, String connectString) {
        this.server = server;
        this.connectString = connectString;
    }

    public static EmbeddedZooKeeper start(Path baseDir) throws Exception {
        Files.createDirectories(baseDir);
        Properties config = new Properties();
        config.setProperty("clientPort", "0");
        config.setProperty("clientPortAddress", "127.0.0.1");
        // Sessions may last 2 to 20 ticks (1-10 s) and expire on tick boundaries: the scheduler's
        // 3 s default is granted and a dead process's session ends within 3.5 s.
        config.setProperty("tickTime", "500");
        config.setProperty("admin.enableServer", "false");
        // Only local clients reach it; a benchmark's thousands of agents may each hold a session.
        config.setProperty("maxClientCnxns", "0");
        config.setProperty("4lw.commands.whitelist", "ruok,srvr,mntr");
        config.setProperty("autopurge.snapRetainCount", "3");
        config.setProperty("autopurge.purgeInterval", "1");
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(baseDir)
                .configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> new Thread(r, "zookeeper-start"));
        try {
            Future<?> started = starter.submit(() -> {
                server.start(TimeUnit.SECONDS.toMillis(START_TIMEOUT_SECONDS));
                return null;
            });
            started.get(START_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            server.close();
            throw new IllegalStateException("embedded ZooKeeper did not start within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            server.close();
            throw new IllegalStateException("embedded ZooKeeper failed to start: " + e.getCause().getMessage(), e.getCause());
        } finally {
            starter.shutdownNow();
        }
        String connect = server.getConnectionString();
        LOG.info("Embedded ZooKeeper listening on {} (data in {})", connect, baseDir);
        return new EmbeddedZooKeeper(server, connect);
    }

    public String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        server.close();
    }
}
