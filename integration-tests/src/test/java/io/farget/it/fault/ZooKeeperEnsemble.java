package io.farget.it.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real three-member ZooKeeper ensemble: one {@code QuorumPeerMain} process per host, each with its
 * own data folder, so a member can be killed and brought back with its data (a stopped machine).
 * A short tick (250 ms) keeps elections quick; sessions still allow up to 20 ticks (10 s).
 */
final class ZooKeeperEnsemble implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperEnsemble.class);
    static final int CLIENT_PORT = 2181;

    private final List<Host> hosts;
    private final Path baseDir;
    private final Path logDir;
    private final String classPath;
    private final ChildJvm[] members;

    ZooKeeperEnsemble(List<Host> hosts, Path baseDir, Path logDir, String classPath) throws IOException {
        this.classPath = classPath;
        this.hosts = List.copyOf(hosts);
        this.baseDir = baseDir;
        this.logDir = logDir;
        this.members = new ChildJvm[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            writeConfig(i);
        }
    }

    String connectString() {
        return hosts.stream().map(h -> h.address() + ":" + CLIENT_PORT).collect(Collectors.joining(","));
    }

    int size() {
        return hosts.size();
    }

    void startAll() throws IOException {
        for (int i = 0; i < hosts.size(); i++) {
            start(i);
        }
    }

    /** Starts member {@code i} (again) on its old data. */
    void start(int i) throws IOException {
        if (members[i] != null && members[i].isAlive()) {
            return;
        }
        log.info("ZooKeeper member {} starting", i + 1);
        members[i] = ChildJvm.start("zk" + (i + 1), hosts.get(i), logDir, classPath, "96m", false,
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", List.of(config(i).toString()));
    }

    /** kill -9 of member {@code i}: a machine that stopped. */
    void stop(int i) {
        if (members[i] != null && members[i].isAlive()) {
            log.info("FAULT ZooKeeper member {} stopped (kill -9)", i + 1);
            members[i].killNine();
        }
    }

    boolean isRunning(int i) {
        return members[i] != null && members[i].isAlive();
    }

    private Path config(int i) {
        return baseDir.resolve("zk" + (i + 1)).resolve("zoo.cfg");
    }

    private void writeConfig(int i) throws IOException {
        Path dir = Files.createDirectories(baseDir.resolve("zk" + (i + 1)));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
        StringBuilder cfg = new StringBuilder("""
                tickTime=250
                initLimit=20
                syncLimit=8
                maxSessionTimeout=10000
                dataDir=%s
                clientPort=%d
                clientPortAddress=%s
                admin.enableServer=false
                reconfigEnabled=false
                4lw.commands.whitelist=ruok,srvr
                """.formatted(data, CLIENT_PORT, hosts.get(i).address()));
        for (int j = 0; j < hosts.size(); j++) {
            cfg.append("server.").append(j + 1).append('=').append(hosts.get(j).address()).append(":2888:3888\n");
        }
        Files.writeString(config(i), cfg);
    }

    @Override
    public void close() {
        for (ChildJvm member : members) {
            if (member != null) {
                member.killNine();
            }
        }
    }
}
