package io.farget.agent.bootstrap;

import io.farget.agent.capacity.HostFacts;
import io.farget.agent.connect.Backoff;
import io.farget.agent.connect.Dialer;
import io.farget.agent.connect.LeaderConnector;
import io.farget.agent.connect.LeaderSource;
import io.farget.agent.connect.StaticLeaderSource;
import io.farget.agent.connect.ZkLeaderSource;
import io.farget.agent.exec.ExecService;
import io.farget.agent.logs.LogService;
import io.farget.agent.session.AgentSession;
import io.farget.agent.state.AgentCheckpoint;
import io.farget.agent.state.NodeIdentity;
import io.farget.agent.state.UsageJournal;
import io.farget.agent.task.PodSupervisor;
import io.farget.common.Arches;
import io.farget.common.Quantities;
import io.farget.common.Versions;
import io.farget.sandbox.SandboxRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent, wired by hand: measures the host, restores its identity and checkpoint, and keeps a
 * stream to the leader through which it runs pods in the given {@link SandboxRuntime}.
 * Holds no static state and no thread of its own when given shared executors, so thousands of
 * hollow agents fit in one JVM.
 */
public final class AgentDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentDaemon.class);
    static final Duration LOG_POLL = Duration.ofMillis(200);
    /** How often pods' pull progress and container states are checked for news to report. */
    static final Duration STATUS_REFRESH = Duration.ofMillis(500);

    private final String nodeId;
    private final HostFacts host;
    private final PodSupervisor pods;
    private final LogService logs;
    private final AgentSession session;
    private final LeaderConnector connector;
    private final List<ScheduledFuture<?>> periodic;
    private final List<ExecutorService> owned;

    private AgentDaemon(String nodeId, HostFacts host, PodSupervisor pods, LogService logs, AgentSession session,
                        LeaderConnector connector, List<ScheduledFuture<?>> periodic, List<ExecutorService> owned) {
        this.nodeId = nodeId;
        this.host = host;
        this.pods = pods;
        this.logs = logs;
        this.session = session;
        this.connector = connector;
        this.periodic = periodic;
        this.owned = owned;
    }

    public static AgentDaemon start(AgentConfig config, SandboxRuntime runtime) {
        if (config.leaderSource() == null && config.zkConnect() == null && config.schedulers().isEmpty()) {
            throw new IllegalArgumentException("either a ZooKeeper connect string or scheduler addresses are required");
        }
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent data dir " + config.dataDir(), e);
        }
        String nodeId = config.nodeId() != null ? config.nodeId() : NodeIdentity.loadOrCreate(config.dataDir());
        HostFacts host = HostFactsResolver.resolve(config);
        AgentCheckpoint checkpoint = AgentCheckpoint.open(config.dataDir().resolve("checkpoint.json"));

        List<ExecutorService> owned = new ArrayList<>();
        ScheduledExecutorService timer = config.timer();
        if (timer == null) {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, WorkerPool.daemonThreads("farget-agent-timer"));
            own.setRemoveOnCancelPolicy(true);
            timer = own;
            owned.add(own);
        }
        ExecutorService workers = config.workers();
        ExecutorService execIo = workers;
        if (workers == null) {
            workers = WorkerPool.bounded("farget-agent-worker", WorkerPool.defaultSize());
            owned.add(workers);
            execIo = WorkerPool.blockingIo("farget-agent-exec");
            owned.add(execIo);
        }

        UsageJournal journal = UsageJournal.open(config.dataDir().resolve("usage-journal.json"), config.clock(),
                UsageJournal.DEFAULT_MAX_PENDING);
        AgentSession session = new AgentSession(nodeId, host, Versions.current(), checkpoint, timer, workers, config.clock(), journal);
        PodSupervisor pods = new PodSupervisor(nodeId, host, runtime, checkpoint, workers, config.clock(), config.podPolicy(), session);
        LogService logs = new LogService(pods, runtime, timer, workers, LOG_POLL);
        session.serve(pods, logs, new ExecService(runtime, execIo));
        pods.attach();
        int adopted = pods.adoptEarlierPods(journal::last);
        if (adopted > 0) {
            log.info("Agent {} took over {} pods from its earlier life", nodeId, adopted);
        }

        LeaderSource source = config.leaderSource() != null ? config.leaderSource()
                : config.zkConnect() != null ? ZkLeaderSource.connect(config.zkConnect())
                : new StaticLeaderSource(config.schedulers());
        Dialer dialer = config.dialer() != null ? config.dialer() : Dialer.plaintext();
        LeaderConnector connector = new LeaderConnector(source, session, timer,
                new Backoff(() -> ThreadLocalRandom.current().nextDouble()), dialer::dial);
        log.info("Agent {} on {} ({}, {}, {} CPU, {} memory for pods); finding the leader via {}",
                nodeId, host.hostname(), host.os(), Arches.name(host.arch()),
                Quantities.formatCores(host.capacity().getCpuMillis()), Quantities.formatBytes(host.capacity().getMemoryBytes()),
                config.leaderSource() != null ? "a shared leader source"
                        : config.zkConnect() != null ? "ZooKeeper " + config.zkConnect() : String.join(",", config.schedulers()));
        connector.start();

        long sweepMillis = Math.max(1_000, Math.min(30_000, config.podPolicy().retention().toMillis() / 10));
        ScheduledFuture<?> sweeper = timer.scheduleWithFixedDelay(() -> {
            try {
                pods.forgetFinished();
                journal.forgetUnless(id -> pods.find(id).isPresent(),
                        config.clock().instant().minus(config.podPolicy().retention()));
                journal.flush();
            } catch (RuntimeException e) {
                log.warn("Forgetting finished pods failed", e);
            }
        }, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        ExecutorService refreshOn = workers;
        ScheduledFuture<?> refresher = timer.scheduleWithFixedDelay(() -> {
            try {
                if (pods.refreshDue()) {
                    refreshOn.execute(pods::refresh);
                }
            } catch (RuntimeException e) {
                log.debug("Status refresh skipped: {}", e.toString());
            }
        }, STATUS_REFRESH.toMillis(), STATUS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        return new AgentDaemon(nodeId, host, pods, logs, session, connector, List.of(sweeper, refresher), owned);
    }

    public String nodeId() {
        return nodeId;
    }

    /** What this node registers with. */
    public HostFacts hostFacts() {
        return host;
    }

    /** True while a stream to the leader is open and answered. */
    public boolean isConnected() {
        return connector.isConnected();
    }

    /**
     * Closes the stream and stops the agent's timers and threads, but leaves pods running: a
     * restarting agent takes them over. Use {@link #shutdownPods} first to leave nothing behind.
     */
    @Override
    public void close() {
        connector.close();
        session.close();
        logs.cancelAll();
        periodic.forEach(f -> f.cancel(false));
        pods.detach();
        for (ExecutorService executor : owned) {
            executor.shutdownNow();
        }
        for (ExecutorService executor : owned) {
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Agent {} stopped", nodeId);
    }

    /** Stops (SIGTERM, SIGKILL after {@code grace}) and removes every pod; logs stay. Works before or after close. */
    public void shutdownPods(Duration grace) {
        pods.shutdownPods(grace);
    }
}
