package io.farget.it;

import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;

/**
 * A whole cluster in this JVM over real sockets: a real ZooKeeper (curator-test), one scheduler on
 * 127.0.0.1 and one agent running real runc sandboxes under a cgroup parent of its own, so tests
 * never touch another cluster's pods. {@link #close()} leaves no sandbox, cgroup or mount behind.
 */
final class LocalCluster implements AutoCloseable {
    final TestingServer zookeeper;
    final Path dataDir;
    final String cgroupParent = "farget-it-" + UUID.randomUUID().toString().substring(0, 8);
    SchedulerServer scheduler;
    RuncRuntime runtime;
    AgentDaemon agent;

    LocalCluster(Path dataDir) throws Exception {
        this(dataDir, c -> c);
    }

    /** A cluster whose agent's runtime settings are tuned by {@code tune} (e.g. short restart back-offs). */
    LocalCluster(Path dataDir, java.util.function.UnaryOperator<RuncConfig> tune) throws Exception {
        this.dataDir = dataDir;
        this.zookeeper = new TestingServer(true);
        try {
            startScheduler();
            runtime = new RuncRuntime(tune.apply(RuncConfig.defaults(dataDir.resolve("agent")).withCgroupParent(cgroupParent)));
            agent = AgentDaemon.start(AgentConfig.defaults(dataDir.resolve("agent"))
                    .withZkConnect(zookeeper.getConnectString())
                    .withReserve(0, 0), runtime);
            Awaitility.await("agent connected").atMost(Duration.ofSeconds(30)).until(agent::isConnected);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    void startScheduler() throws Exception {
        scheduler = SchedulerServer.start(SchedulerConfig.defaults(zookeeper.getConnectString()).withPort(0));
        scheduler.awaitLeadership(Duration.ofSeconds(30));
    }

    void restartScheduler() throws Exception {
        scheduler.close();
        scheduler = null;
        startScheduler();
    }

    String server() {
        return scheduler.address();
    }

    CliRun cli(String... args) {
        return CliRun.of(server(), args);
    }

    /** The cgroup folders of this cluster's pods that exist now, in any hierarchy. */
    List<Path> cgroupLeftovers() throws Exception {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies.map(h -> h.resolve(cgroupParent)).filter(Files::exists).toList();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (agent != null) {
                agent.shutdownPods(Duration.ofSeconds(2));
                agent.close();
            }
            if (runtime != null) {
                runtime.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            zookeeper.close();
            for (Path leftover : cgroupLeftovers()) {
                // The agent removes its pods' folders; the parent folder is this test's to remove.
                try (var children = Files.walk(leftover)) {
                    children.sorted(java.util.Comparator.reverseOrder()).filter(Files::isDirectory).forEach(dir -> dir.toFile().delete());
                }
            }
        }
    }
}
