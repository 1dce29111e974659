package io.farget.scheduler.leader;

import io.farget.common.NotLeaderException;
import io.farget.scheduler.control.AgentEvents;
import io.farget.scheduler.control.LeaderLoop;
import io.farget.scheduler.control.NodeControl;
import io.farget.scheduler.control.NodeDrains;
import io.farget.scheduler.control.NodeFailures;
import io.farget.scheduler.control.RescheduleBudget;
import io.farget.scheduler.control.ExecRelay;
import io.farget.scheduler.control.FinishedPodCollector;
import io.farget.scheduler.control.LogRelay;
import io.farget.scheduler.control.PlacementTrigger;
import io.farget.scheduler.control.PodCommitter;
import io.farget.scheduler.control.PodControl;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.metering.LedgerStore;
import io.farget.scheduler.metering.Metering;
import io.farget.scheduler.node.NodeConnections;
import io.farget.scheduler.node.HeartbeatPacing;
import io.farget.scheduler.node.NodeRegistry;
import io.farget.placement.PlacementEngine;
import io.farget.scheduler.plan.PlanApplier;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.state.FencedWriter;
import io.farget.scheduler.state.ZkLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term and every leader-only service in it. They start together in {@link #start}
 * and stop together in {@link #close}: nothing leader-only lives anywhere else.
 */
public final class LeaderTerm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderTerm.class);
    private static final Duration PLACEMENT_PERIOD = Duration.ofSeconds(1);

    private final CuratorFramework client;
    private final long epoch;
    private final ClusterState state;
    private final LeaderLoop loop;
    private final NodeConnections connections;
    private final PodControl pods;
    private final AgentEvents agents;
    private final LogRelay logs;
    private final ExecRelay execs;
    private final Metering metering;
    private PlanApplier placement;
    private NodeControl nodeControl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LeaderTerm(CuratorFramework client, long epoch, ClusterState state, LeaderLoop loop,
                       NodeConnections connections, PodControl pods, AgentEvents agents, LogRelay logs,
                       Metering metering) {
        this.client = client;
        this.epoch = epoch;
        this.state = state;
        this.loop = loop;
        this.connections = connections;
        this.pods = pods;
        this.agents = agents;
        this.logs = logs;
        this.execs = new ExecRelay(state, connections);
        this.metering = metering;
    }

    /**
     * Takes over: bumps the epoch (fencing out any older leader), loads the state, publishes our
     * address and starts the leader-only services. {@code onFenced} runs if a newer leader appears.
     */
    static LeaderTerm start(CuratorFramework client, String address, TermSettings settings,
                            PlacementEngine engine, Runnable onFenced, TakeoverPhases phases) {
        FencedWriter fence = EpochFence.takeNextEpoch(client, address);
        long epoch = fence.epoch();
        phases.done("epoch bump");
        ClusterReader reader = new ClusterReader(client);
        ClusterState state = new ClusterState(reader.loadPods(), reader.loadNodes());
        phases.done("state load (" + state.pods().size() + " pods, " + state.nodes().size() + " nodes)");
        ClusterWriter writer = new ClusterWriter(client, fence);
        writer.prepareBuckets();
        phases.done("pod buckets");
        Metering metering = Metering.takeOver(new LedgerStore(client), fence, settings.metering(), state.pods(),
                nodeId -> state.node(nodeId).map(io.farget.proto.v1.Node::getArch).orElse(io.farget.proto.v1.Arch.ARCH_UNSPECIFIED),
                onFenced);
        state.addListener(metering::podChanged);
        phases.done("ledger load");

        LeaderLoop loop = new LeaderLoop(epoch, onFenced);
        PlacementTrigger trigger = new PlacementTrigger(loop);
        NodeConnections connections = new NodeConnections();
        NodeRegistry nodes = new NodeRegistry(state, writer, settings.clock(), settings.nodeNotReadyAfter(),
                new HeartbeatPacing(settings.heartbeatInterval(), HeartbeatPacing.DEFAULT_MAX_PER_SECOND));
        PodStateMachine machine = new PodStateMachine(settings.clock());
        PodCommitter committer = new PodCommitter(state, writer, connections, trigger);
        LogRelay logs = new LogRelay(state, connections);
        PlanApplier applier = new PlanApplier(state, connections, engine, machine, committer, trigger);
        PodControl pods = new PodControl(loop, state, writer, machine, committer, trigger, applier);
        AgentEvents agents = new AgentEvents(loop, state, nodes, connections, machine, committer, trigger, logs,
                metering, settings.usageInterval());
        FailureSettings failureSettings = settings.failures();
        NodeFailures failures = new NodeFailures(state, nodes, machine, committer,
                new RescheduleBudget(settings.clock(), failureSettings.rescheduleFractionPerMinute(),
                        failureSettings.rescheduleMinimumPerMinute()),
                settings.clock(), settings.nodeNotReadyAfter(), failureSettings.podsLostAfter());
        NodeDrains drains = new NodeDrains(state, machine, committer, settings.clock());
        LeaderTerm term = new LeaderTerm(client, epoch, state, loop, connections, pods, agents, logs, metering);
        term.nodeControl = new NodeControl(loop, state, nodes, drains, trigger, settings.clock());
        term.placement = applier;
        try {
            loop.call(() -> {
                nodes.markAllNotReady();
                writer.publishLeader(address);
                return null;
            });
        } catch (RuntimeException e) {
            term.close();
            throw e;
        }
        phases.done("nodes marked and address published");
        trigger.bind(applier::placePending);
        loop.every(PLACEMENT_PERIOD, trigger::request);
        loop.every(settings.metering().flushInterval(), metering::flush);
        Duration livenessPeriod = settings.nodeNotReadyAfter().dividedBy(4);
        loop.every(livenessPeriod.compareTo(PLACEMENT_PERIOD) < 0 ? livenessPeriod : PLACEMENT_PERIOD, failures::check);
        loop.every(PLACEMENT_PERIOD, drains::check);
        FinishedPodCollector collector = new FinishedPodCollector(state, writer, settings.clock(), settings.finishedPodRetention());
        loop.every(FinishedPodCollector.PERIOD, collector::collect);
        log.info("Became leader with epoch {}: {}", epoch, phases.describe());
        return term;
    }

    public long epoch() {
        return epoch;
    }

    public ClusterState state() {
        return state;
    }

    public LeaderLoop loop() {
        return loop;
    }

    public NodeConnections connections() {
        return connections;
    }

    /** Dry run of placement for one spec on the leader loop; nothing is created. */
    public io.farget.proto.v1.PlanPodResponse dryRun(io.farget.proto.v1.PodSpec spec, int top) {
        return loop.call(() -> placement.dryRun(spec, top));
    }

    /** Operators' node commands: cordon, uncordon, drain. */
    public NodeControl nodes() {
        return nodeControl;
    }

    public PodControl pods() {
        return pods;
    }

    public AgentEvents agents() {
        return agents;
    }

    public ExecRelay execs() {
        return execs;
    }

    public LogRelay logs() {
        return logs;
    }

    /** The usage ledger of this term. */
    public Metering metering() {
        return metering;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops acting at once: no more writes or commands, agent and client streams closed. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.close();
        metering.close();
        NotLeaderException over = new NotLeaderException(null);
        connections.closeAll(over);
        logs.closeAll(over);
        execs.closeAll(over);
        state.close();
        withdrawLeaderAddress();
        log.info("Lost leadership (epoch {})", epoch);
    }

    /** Deletes /farget/leader if our session wrote it, so followers do not chase a stale address. */
    private void withdrawLeaderAddress() {
        try {
            if (!client.getZookeeperClient().isConnected()) {
                return;
            }
            Stat stat = client.checkExists().forPath(ZkLayout.LEADER);
            if (stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId()) {
                client.delete().withVersion(stat.getVersion()).forPath(ZkLayout.LEADER);
            }
        } catch (Exception e) {
            log.debug("Could not withdraw {}: {}", ZkLayout.LEADER, e.toString());
        }
    }
}
