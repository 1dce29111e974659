package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.PodServiceGrpc;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxStatus;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A three-member ZooKeeper ensemble loses one member, then its quorum for longer than the
 * schedulers' session timeout, then gets both back. Two scheduler replicas and an agent (fake
 * runtime) run in this JVM over real sockets. Throughout: reads answer from the last known state,
 * writes fail fast with UNAVAILABLE "ZooKeeper unavailable: ...", pods keep running; afterwards
 * writes are accepted again without restarting anything and nothing accepted is lost.
 */
class ZooKeeperOutageTest {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperOutageTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than the schedulers' 3 s session: their sessions expire during the outage. */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Name and request id of the write that probes for the outage: at most one such pod exists. */
    private static final String PROBE = "outage-probe";

    @TempDir
    Path dataDir;

    private TestingCluster ensemble;
    private final List<SchedulerServer> schedulers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private FakeRuntime runtime;
    private AgentDaemon agent;

    @AfterEach
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        if (agent != null) {
            agent.close();
        }
        schedulers.forEach(SchedulerServer::close);
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @Test
    void readsGoOnWritesFailFastAndEverythingRecoversWhenTheQuorumReturns() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
        String zk = ensemble.getConnectString();
        for (int i = 0; i < 2; i++) {
            schedulers.add(SchedulerServer.start(SchedulerConfig.defaults(zk).withPort(0)));
        }
        String servers = schedulers.get(0).address() + "," + schedulers.get(1).address();
        runtime = new FakeRuntime();
        agent = AgentDaemon.start(AgentConfig.defaults(dataDir.resolve("agent")).withZkConnect(zk).withReserve(0, 0), runtime);
        await("agent connected").atMost(WAIT).until(agent::isConnected);

        List<String> accepted = new ArrayList<>();
        accepted.add(submit(servers, "before-0"));
        accepted.add(submit(servers, "before-1"));
        await("pods running").atMost(WAIT).until(() -> running(servers) == 2);

        List<InstanceSpec> members = new ArrayList<>(ensemble.getInstances());
        ensemble.killServer(members.get(0));
        log.info("One ZooKeeper member stopped");
        accepted.add(submit(servers, "one-member-down")); // a replica may flap while it switches members
        await("all three running with one member down").atMost(WAIT).until(() -> running(servers) == 3);

        ensemble.killServer(members.get(1));
        log.info("ZooKeeper quorum lost");
        await("writes refused as UNAVAILABLE").atMost(WAIT).until(() -> writeStatus(0).getCode() == Status.Code.UNAVAILABLE
                && writeStatus(1).getCode() == Status.Code.UNAVAILABLE);
        long outageStart = System.nanoTime();
        while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
            for (int replica = 0; replica < 2; replica++) {
                long start = System.nanoTime();
                Status status = writeStatus(replica);
                long millis = (System.nanoTime() - start) / 1_000_000;
                // The last member notices it lost its quorum only after a few ticks; until then a
                // replica may briefly get its session back and find no leader elected (an answer
                // marked for retry). Either way the write is refused, fast, and nothing is stored.
                if (status.getCode() == Status.Code.FAILED_PRECONDITION) {
                    assertThat(status.getDescription()).isEqualTo("not leader; no leader is elected yet");
                } else {
                    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(status.getDescription()).startsWith("ZooKeeper unavailable: ");
                }
                assertThat(millis).as("a refused write answers well under the 10 s deadline").isLessThan(2_000);
            }
            assertThat(ids(servers)).as("reads show the last known state").containsAll(accepted);
            assertThat(runtime.status(accepted.get(0)).map(SandboxStatus::state)).as("pods keep running").contains(SandboxStatus.State.RUNNING);
        }
        CliRun refused = CliRun.of(servers, "run", "--name", "during-outage", "--", "sleep", "600");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).startsWith("error: ZooKeeper unavailable: ");
        log.info("FIGURE ZooKeeper quorum lost for {} s: reads served, writes refused fast with UNAVAILABLE", OUTAGE.toSeconds());

        ensemble.restartServer(members.get(0));
        ensemble.restartServer(members.get(1));
        long restored = System.nanoTime();
        accepted.add(submit(servers, "after-outage"));
        log.info("FIGURE first write accepted {} ms after the quorum was restarted", (System.nanoTime() - restored) / 1_000_000);
        await("every accepted pod running again, none lost").atMost(WAIT).until(() -> running(servers) == accepted.size());
        assertThat(ids(servers)).containsExactlyInAnyOrderElementsOf(accepted);
        JsonNode pods = CliRun.of(servers, "ps", "-o", "json").assertOk().json();
        for (String id : accepted.subList(0, 3)) {
            assertThat(runtime.status(id).map(SandboxStatus::state)).as("pod %s never stopped", id).contains(SandboxStatus.State.RUNNING);
        }
        assertThat(pods.findValuesAsText("attempt")).as("no pod was restarted").allMatch(a -> Integer.parseInt(a) <= 1);
    }

    /** What CreatePod on replica {@code index} answers, with the CLI's 10 s deadline. */
    private Status writeStatus(int index) {
        while (channels.size() <= index) {
            channels.add(null);
        }
        if (channels.get(index) == null) {
            String[] hostPort = schedulers.get(index).address().split(":");
            channels.set(index, NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1])).usePlaintext().build());
        }
        try {
            PodServiceGrpc.newBlockingStub(channels.get(index)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .createPod(CreatePodRequest.newBuilder().setRequestId(PROBE).setSpec(PodSpec.newBuilder().setName(PROBE).addContainers(
                            ContainerSpec.newBuilder().setName("main").addCommand("sleep").addCommand("600")
                                    .setResources(Resources.newBuilder().setCpuMillis(10).setMemoryBytes(4L << 20)))).build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** Pods RUNNING, the probe aside. */
    private static long running(String servers) {
        long count = 0;
        for (JsonNode pod : CliRun.of(servers, "ps", "-o", "json").assertOk().json()) {
            count += pod.path("phase").asText().equals("RUNNING") && !pod.path("name").asText().equals(PROBE) ? 1 : 0;
        }
        return count;
    }

    /** Ids of the pods, the probe aside. */
    private static List<String> ids(String servers) {
        List<String> ids = new ArrayList<>();
        for (JsonNode pod : CliRun.of(servers, "ps", "-o", "json").assertOk().json()) {
            if (!pod.path("name").asText().equals(PROBE)) {
                ids.add(pod.path("id").asText());
            }
        }
        return ids;
    }

    private static String submit(String servers, String name) {
        return await("pod " + name + " accepted").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> CliRun.of(servers, "run", "--name", name, "--cpu", "0.01", "--memory", "4Mi", "--", "sleep", "600"),
                        run -> run.exitCode() == 0).stdout().trim();
    }
}
