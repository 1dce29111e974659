package io.farget.scheduler.support;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.PodReport;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper for each test, and the schedulers, agents and client channels the test starts
 * against it, all closed after the test in reverse order, even when it fails. Register it with
 * {@code @RegisterExtension final SchedulerHarness cluster = new SchedulerHarness();}.
 */
public final class SchedulerHarness implements BeforeEachCallback, AfterEachCallback {
    /** How long a scheduler may take to lead, and the deadline of the stubs {@link #pods} gives. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final long GI = 1L << 30;

    private TestingServer zk;
    private CuratorFramework client;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        zk = Zk.startServer();
        client = Zk.client(zk);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Zk.closeQuietly(toClose.get(i));
        }
        toClose.clear();
        Zk.closeQuietly(client, zk);
    }

    /** The test's ZooKeeper, for a scheduler configured beyond {@link #scheduler()}'s defaults. */
    public String zkConnectString() {
        return zk.getConnectString();
    }

    /** A client of the test's ZooKeeper, to look at what the scheduler stored. */
    public CuratorFramework client() {
        return client;
    }

    /** Closes {@code resource} after the test, before anything started earlier. */
    public void closeAfter(AutoCloseable resource) {
        toClose.add(resource);
    }

    /** A scheduler replica on a free port; it may or may not lead. */
    public SchedulerServer scheduler() throws Exception {
        SchedulerServer server = SchedulerServer.start(SchedulerConfig.defaults(zk.getConnectString()).withPort(0));
        toClose.add(server);
        return server;
    }

    /** A scheduler replica that leads. */
    public SchedulerServer leader() throws Exception {
        SchedulerServer server = scheduler();
        server.awaitLeadership(WAIT);
        return server;
    }

    /** An agent of {@code cpuMillis} and 4 GiB registered with {@code server}. */
    public TestAgent agent(SchedulerServer server, String nodeId, long cpuMillis) {
        return agent(server, nodeId, cpuMillis, 4 * GI);
    }

    /** An agent of this size registered with {@code server}, reporting {@code running} as it registers. */
    public TestAgent agent(SchedulerServer server, String nodeId, long cpuMillis, long memoryBytes, PodReport... running) {
        TestAgent agent = TestAgent.register(server.address(), nodeId, cpuMillis, memoryBytes, running);
        toClose.add(agent);
        agent.awaitRegistered();
        return agent;
    }

    /** A client channel to {@code server}. */
    public ManagedChannel channel(SchedulerServer server) {
        ManagedChannel channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
        toClose.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    /** A pod client of {@code server}; its deadline ({@link #WAIT}) counts from now, not from each call. */
    public PodServiceGrpc.PodServiceBlockingStub pods(SchedulerServer server) {
        return PodServiceGrpc.newBlockingStub(channel(server)).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A one-container pod of {@code cpuMillis} and 64 MiB running {@code true}. */
    public static CreatePodRequest podRequest(String name, long cpuMillis, String requestId) {
        return CreatePodRequest.newBuilder().setRequestId(requestId).setSpec(PodSpec.newBuilder().setName(name)
                .addContainers(ContainerSpec.newBuilder().setName("main").addCommand("true")
                        .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(64L << 20)))).build();
    }
}
