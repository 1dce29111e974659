package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxStatus;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.leader.FailureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node loss and drain through the whole system, with fake-runtime agents (runc adds nothing here)
 * and short timeouts: NOT_READY after 1 s of silence, pods given up 2 s later.
 */
class NodeFailureTest {
    private static final Duration NOT_READY_AFTER = Duration.ofSeconds(1);
    private static final Duration LOST_AFTER = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    @TempDir
    Path specs;
    private TestingServer zookeeper;
    private SchedulerServer scheduler;
    private final List<AgentDaemon> agents = new ArrayList<>();
    private final List<FakeRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zookeeper = new TestingServer(true);
        scheduler = SchedulerServer.start(SchedulerConfig.defaults(zookeeper.getConnectString()).withPort(0)
                .withHeartbeatInterval(Duration.ofMillis(200)).withNodeNotReadyAfter(NOT_READY_AFTER)
                .withFailures(FailureSettings.defaults().withPodsLostAfter(LOST_AFTER)));
        scheduler.awaitLeadership(TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        for (AgentDaemon agent : agents) {
            agent.shutdownPods(Duration.ZERO);
            agent.close();
        }
        runtimes.forEach(FakeRuntime::close);
        if (scheduler != null) {
            scheduler.close();
        }
        zookeeper.close();
    }

    private AgentDaemon agent(String nodeId, FakeRuntime runtime) {
        AgentDaemon agent = AgentDaemon.start(AgentConfig.defaults(dataDir.resolve(nodeId)).withNodeId(nodeId)
                .withZkConnect(zookeeper.getConnectString())
                .withCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryBytes(8L << 30).build()), runtime);
        agents.add(agent);
        await(nodeId + " connected").atMost(TIMEOUT).until(agent::isConnected);
        return agent;
    }

    private FakeRuntime runtime() {
        FakeRuntime runtime = new FakeRuntime();
        runtimes.add(runtime);
        return runtime;
    }

    private CliRun cli(String... args) {
        return CliRun.of(scheduler.address(), args);
    }

    private String apply(String name, String restart) throws Exception {
        Path file = specs.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                restart: %s
                containers:
                  - name: main
                    command: [sleep, "600"]
                    resources: {cpu: 100m, memory: 32Mi}
                """.formatted(name, restart));
        return cli("apply", "-f", file.toString()).assertOk().stdout().trim();
    }

    private JsonNode pod(String id) {
        return cli("get", id, "-o", "json").assertOk().json();
    }

    private JsonNode awaitPhase(String id, String... phases) {
        return await("pod " + id + " in " + String.join("|", phases)).atMost(TIMEOUT)
                .until(() -> pod(id), p -> Arrays.asList(phases).contains(p.path("phase").asText()));
    }

    private String nodeState(String nodeId) {
        JsonNode nodes = cli("nodes", "-o", "json").assertOk().json();
        for (JsonNode node : nodes) {
            if (node.path("id").asText().equals(nodeId)) {
                return node.path("state").asText();
            }
        }
        return "";
    }

    @Test
    void aLostNodesPodsAreRescheduledAndTheReplacedOnesKilledWhenItReturns() throws Exception {
        FakeRuntime firstRuntime = runtime();
        AgentDaemon first = agent("node-a", firstRuntime);
        String restartable = apply("web", "always");
        String once = apply("batch", "never");
        assertThat(awaitPhase(restartable, "RUNNING").path("node").asText()).isEqualTo("node-a");
        awaitPhase(once, "RUNNING");
        agent("node-b", runtime());

        long cut = System.nanoTime();
        first.close(); // silent from now on; its fake pods keep "running"
        agents.remove(first);
        await("node-a NOT_READY").atMost(TIMEOUT).until(() -> nodeState("node-a").startsWith("NOT_READY"));
        long notReadyMillis = (System.nanoTime() - cut) / 1_000_000;

        JsonNode moved = await("web rescheduled").atMost(TIMEOUT)
                .until(() -> pod(restartable), p -> p.path("phase").asText().equals("RUNNING") && p.path("node").asText().equals("node-b"));
        long rescheduledMillis = (System.nanoTime() - cut) / 1_000_000;
        assertThat(moved.path("attempt").asInt()).isEqualTo(2);
        assertThat(awaitPhase(once, "LOST").path("reason").asText()).contains("node-a");
        System.out.printf("node loss: stream closed -> NOT_READY %d ms, -> rescheduled and RUNNING elsewhere %d ms%n",
                notReadyMillis, rescheduledMillis);

        // node-a comes back still running the old attempt: it is told to kill it
        assertThat(firstRuntime.status(restartable)).get().extracting(SandboxStatus::state).isEqualTo(SandboxStatus.State.RUNNING);
        agent("node-a", firstRuntime);
        await("the replaced attempt killed on node-a").atMost(TIMEOUT)
                .until(() -> firstRuntime.status(restartable).map(s -> s.state() == SandboxStatus.State.EXITED).orElse(true));
        assertThat(firstRuntime.status(once).map(SandboxStatus::state).orElse(SandboxStatus.State.EXITED))
                .isEqualTo(SandboxStatus.State.EXITED);
        JsonNode after = pod(restartable);
        assertThat(after.path("node").asText()).isEqualTo("node-b");
        assertThat(after.path("phase").asText()).isEqualTo("RUNNING");
        assertThat(after.path("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void cordonStopsPlacementsAndDrainMovesRestartablePodsWhileTheOthersFinish() throws Exception {
        agent("node-a", runtime());
        String web = apply("web", "on-failure");
        String batch = apply("batch", "never");
        awaitPhase(web, "RUNNING");
        awaitPhase(batch, "RUNNING");

        cli("nodes", "cordon", "node-a").assertOk();
        assertThat(nodeState("node-a")).isEqualTo("READY,CORDONED");
        String waiting = apply("waiting", "never");
        await().during(Duration.ofMillis(1500)).atMost(TIMEOUT)
                .until(() -> pod(waiting).path("phase").asText().equals("PENDING"));

        agent("node-b", runtime());
        awaitPhase(waiting, "RUNNING");
        assertThat(pod(waiting).path("node").asText()).isEqualTo("node-b");

        cli("nodes", "drain", "node-a", "--deadline", "3s").assertOk();
        assertThat(nodeState("node-a")).isEqualTo("DRAINING");
        JsonNode moved = await("web moved").atMost(TIMEOUT)
                .until(() -> pod(web), p -> p.path("phase").asText().equals("RUNNING") && p.path("node").asText().equals("node-b"));
        assertThat(moved.path("attempt").asInt()).isEqualTo(2);
        assertThat(pod(batch).path("phase").asText()).isEqualTo("RUNNING"); // left to finish until the deadline
        assertThat(awaitPhase(batch, "KILLED").path("node").asText()).isEqualTo("node-a");

        cli("nodes", "uncordon", "node-a").assertOk();
        assertThat(nodeState("node-a")).isEqualTo("READY");
    }
}
