package io.farget.bench.cluster;

import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.sandbox.FakeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of hollow agents in one JVM: each is the real agent ({@link AgentDaemon}: identity,
 * checkpoint and usage journal in its own data dir, its own stream to the leader, the real pod
 * supervisor and reports) over a {@link FakeRuntime} of its own, in which a pod "runs" as
 * {@link PodScripts} says. They share one timer, one worker pool, one Netty event loop group and
 * one ZooKeeper watch on the leader, so the fleet costs threads in the tens, not the thousands.
 */
public final class HollowFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HollowFleet.class);

    private final List<AgentDaemon> agents;
    private final List<FakeRuntime> runtimes;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService workers;
    private final SharedDialer dialer;
    private final SharedLeaderSource leaders;
    private final Path dataRoot;

    private HollowFleet(List<AgentDaemon> agents, List<FakeRuntime> runtimes, ScheduledThreadPoolExecutor timer,
                        ExecutorService workers, SharedDialer dialer, SharedLeaderSource leaders, Path dataRoot) {
        this.agents = agents;
        this.runtimes = runtimes;
        this.timer = timer;
        this.workers = workers;
        this.dialer = dialer;
        this.leaders = leaders;
        this.dataRoot = dataRoot;
    }

    /**
     * Starts one agent per host shape, finding the leader through {@code zk} (a started client the
     * caller owns). Data dirs go under {@code dataRoot} (a tmpfs such as /dev/shm keeps the agents'
     * checkpoint writes real but cheap).
     */
    public static HollowFleet start(List<HostShape> hosts, CuratorFramework zk, Path dataRoot, PodScripts scripts,
                                    int threads) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(Math.max(1, threads / 2),
                SharedDialer.threads("hollow-timer"));
        timer.setRemoveOnCancelPolicy(true);
        ExecutorService workers = Executors.newFixedThreadPool(threads, SharedDialer.threads("hollow-worker"));
        SharedDialer dialer = new SharedDialer(threads);
        SharedLeaderSource leaders = new SharedLeaderSource(zk);
        List<AgentDaemon> agents = new ArrayList<>(hosts.size());
        List<FakeRuntime> runtimes = new ArrayList<>(hosts.size());
        HollowFleet fleet = new HollowFleet(agents, runtimes, timer, workers, dialer, leaders, dataRoot);
        try {
            for (HostShape host : hosts) {
                FakeRuntime runtime = new FakeRuntime(Clock.systemUTC(), timer, null);
                runtime.setScripts(scripts::scriptFor);
                AgentConfig config = AgentConfig.defaults(dataRoot.resolve(host.hostname()))
                        .withNodeId(host.hostname())
                        .withHostname(host.hostname())
                        .withArch(host.arch())
                        .withCapacity(host.capacity())
                        .withGpus(host.gpus())
                        .withExecutors(timer, workers)
                        .withLinks(leaders.view(), dialer);
                runtimes.add(runtime);
                agents.add(AgentDaemon.start(config, runtime));
            }
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        log.info("{} hollow agents started", agents.size());
        return fleet;
    }

    public int size() {
        return agents.size();
    }

    public long connected() {
        return agents.stream().filter(AgentDaemon::isConnected).count();
    }

    /** Pod ids that more than one agent runs right now (must be none). */
    public List<String> runningOnMoreThanOneAgent() {
        Map<String, Integer> holders = new HashMap<>();
        for (FakeRuntime runtime : runtimes) {
            for (String podId : runtime.list()) {
                holders.merge(podId, 1, Integer::sum);
            }
        }
        return holders.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    /** How many pods the fleet's runtimes hold (running or ended and not yet removed). */
    public long sandboxes() {
        return runtimes.stream().mapToLong(r -> r.list().size()).sum();
    }

    /** Stops every agent and the shared machinery; pods are fake, so nothing outlives the fleet but the data dirs, removed here. */
    @Override
    public void close() {
        for (AgentDaemon agent : agents) {
            try {
                agent.close();
            } catch (RuntimeException e) {
                log.debug("Closing agent {}: {}", agent.nodeId(), e.toString());
            }
        }
        runtimes.forEach(FakeRuntime::close);
        leaders.close();
        dialer.close();
        timer.shutdownNow();
        workers.shutdownNow();
        deleteTree(dataRoot);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
