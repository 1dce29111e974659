package io.farget.scheduler.bootstrap;

import io.farget.scheduler.agent.AgentServiceEndpoint;
import io.farget.scheduler.api.ClusterServiceEndpoint;
import io.farget.scheduler.api.NodeServiceEndpoint;
import io.farget.scheduler.api.PodServiceEndpoint;
import io.farget.scheduler.api.Reads;
import io.farget.scheduler.api.UsageServiceEndpoint;
import io.farget.scheduler.leader.LeaderElection;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.TermSettings;
import io.farget.scheduler.metering.LedgerStore;
import io.farget.scheduler.metering.MeteringMetrics;
import io.farget.scheduler.metering.MeteringSettings;
import io.farget.scheduler.metering.MetricsServer;
import io.farget.placement.scoring.Strategies;
import io.farget.scheduler.state.ClusterReader;
import io.farget.scheduler.state.EpochFence;
import io.farget.scheduler.state.LastKnownState;
import io.farget.scheduler.state.ZkLayout;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollChannelOption;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler replica: a gRPC server (agent stream, client API, health, reflection), one Curator
 * client, a place in the leader election and an ephemeral entry under /farget/schedulers.
 * Wiring is by hand, here and in {@link LeaderTerm}.
 */
public final class SchedulerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerServer.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final CuratorFramework client;
    private final Server server;
    private final HealthStatusManager health;
    private final LeaderElection election;
    private final PersistentNode registration;
    private final String address;
    private final MetricsServer metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SchedulerServer(CuratorFramework client, Server server, HealthStatusManager health,
                            LeaderElection election, PersistentNode registration, String address, MetricsServer metrics) {
        this.client = client;
        this.server = server;
        this.health = health;
        this.election = election;
        this.registration = registration;
        this.address = address;
        this.metrics = metrics;
    }

    /** Connects to ZooKeeper, starts serving and joins the election; returns without waiting to lead. */
    public static SchedulerServer start(SchedulerConfig config) throws IOException {
        CuratorFramework client = connect(config);
        Server server = null;
        LeaderElection election = null;
        PersistentNode registration = null;
        try {
            ClusterReader reader = new ClusterReader(client);
            TermSettings settings = new TermSettings(config.clock(), config.heartbeatInterval(),
                    config.nodeNotReadyAfter(), config.usageInterval(), config.metering(), config.failures(),
                    config.finishedPodRetention());
            LastKnownState lastKnown = new LastKnownState(config.clock());
            election = new LeaderElection(client, settings, Strategies.defaultEngine(), lastKnown);
            Reads reads = new Reads(election, reader, lastKnown);
            reads.warmUp();
            HealthStatusManager health = new HealthStatusManager();
            server = endDeadLinks(NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.port())), config)
                    .addService(new AgentServiceEndpoint(election))
                    .callExecutor(new CallExecutors(election::isLeader))
                    .addService(new PodServiceEndpoint(election, reads))
                    .addService(new NodeServiceEndpoint(election, reads))
                    .addService(new UsageServiceEndpoint(election, reads, new LedgerStore(client), config.metering().rateCard(), config.clock()))
                    .addService(new ClusterServiceEndpoint(election, reader, reads, client, config.clock()))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .build()
                    .start();
            String address = config.effectiveAdvertisedHost() + ":" + server.getPort();
            health.setStatus("", ServingStatus.SERVING);

            registration = new PersistentNode(client, CreateMode.EPHEMERAL, false,
                    ZkLayout.scheduler(address), address.getBytes(StandardCharsets.UTF_8));
            registration.start();
            election.start(address);
            log.info("Scheduler started on {} (ZooKeeper {})", address, config.zkConnect());
            MetricsServer metrics = startMetrics(config.metering(), election);
            return new SchedulerServer(client, server, health, election, registration, address, metrics);
        } catch (IOException | RuntimeException e) {
            closeQuietly(registration, election, server, client);
            throw e instanceof IOException io ? io : new IOException("scheduler failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * A connection whose data goes unacknowledged for as long as a silent node is tolerated is dead:
     * the kernel ends it ({@code TCP_USER_TIMEOUT}, epoll transport only) instead of retransmitting
     * for some fifteen minutes, so the node's stream closes and a kill queued on it is not delivered
     * seconds late after a partition heals (the returning agent registers afresh and is reconciled).
     */
    private static NettyServerBuilder endDeadLinks(NettyServerBuilder builder, SchedulerConfig config) {
        if (Epoll.isAvailable()) {
            builder.withChildOption(EpollChannelOption.TCP_USER_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, config.nodeNotReadyAfter().toMillis()));
        }
        return builder;
    }

    public int port() {
        return server.getPort();
    }

    /** HOST:PORT others reach this replica at. */
    public String address() {
        return address;
    }

    public boolean isLeader() {
        return election.isLeader();
    }

    /** The epoch of our term while we lead; otherwise the current epoch as ZooKeeper says. */
    public long epoch() {
        return election.current().map(LeaderTerm::epoch).orElseGet(() -> EpochFence.current(client));
    }

    /** Waits until this replica leads. @throws IllegalStateException when it does not within {@code timeout} */
    public void awaitLeadership(Duration timeout) {
        try {
            if (!election.awaitLeadership(timeout)) {
                throw new IllegalStateException("not leader after " + timeout.toMillis() + " ms; leader is "
                        + election.leaderAddress().orElse("unknown"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for leadership", e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.enterTerminalState();
        if (metrics != null) {
            metrics.close();
        }
        closeQuietly(registration, election, server, client);
        log.info("Scheduler {} stopped", address);
    }

    /** The Prometheus endpoint, or null when turned off (a negative port). */
    private static MetricsServer startMetrics(MeteringSettings settings, LeaderElection election) throws IOException {
        if (settings.metricsPort() < 0) {
            return null;
        }
        MeteringMetrics meters = new MeteringMetrics(() -> election.current().map(LeaderTerm::metering),
                settings.rateCard(), java.time.Clock.systemUTC());
        return MetricsServer.start(settings.metricsHost(), settings.metricsPort(), meters::scrape);
    }

    /** The port of the Prometheus /metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    private static CuratorFramework connect(SchedulerConfig config) throws IOException {
        ZkConnect zk = ZkConnect.parse(config.zkConnect());
        ZkSessionSettings session = ZkSessionSettings.forSessionTimeout(config.zkSessionTimeout());
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(zk.hosts())
                .namespace(zk.namespace())
                .sessionTimeoutMs(session.sessionTimeoutMillis())
                .connectionTimeoutMs(session.connectionTimeoutMillis())
                .retryPolicy(session.retryPolicy())
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected(Math.toIntExact(CONNECT_TIMEOUT.toSeconds()), TimeUnit.SECONDS)) {
                throw new IOException("cannot reach ZooKeeper at " + config.zkConnect() + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
            }
            int negotiated = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            session.negotiationWarning(negotiated).ifPresentOrElse(log::warn,
                    () -> log.info("ZooKeeper session timeout {} ms", negotiated));
            EpochFence.ensureBaseNodes(client);
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IOException("interrupted while connecting to ZooKeeper", e);
        } catch (Exception e) {
            client.close();
            throw new IOException("cannot prepare ZooKeeper at " + config.zkConnect() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(PersistentNode registration, LeaderElection election, Server server, CuratorFramework client) {
        if (registration != null) {
            try {
                registration.close();
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the registration: {}", e.toString());
            }
        }
        if (election != null) {
            election.close();
        }
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                    server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            }
        }
        client.close();
    }
}
