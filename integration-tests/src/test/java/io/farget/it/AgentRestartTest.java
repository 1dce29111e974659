package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent dies with real runc pods on it (closed without stopping anything: what kill -9 leaves)
 * and a new one starts on the same data dir: the running pod keeps running under the same pid, and
 * the pod that ended while no agent was there is reported with its real exit code.
 */
@Tag("runc")
class AgentRestartTest {
    private static final Duration POD_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    @TempDir
    Path specs;
    private LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
            assertThat(cluster.cgroupLeftovers()).isEmpty();
        }
    }

    private String apply(String name, String command) throws Exception {
        Path file = specs.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                restart: never
                containers:
                  - name: main
                    command: [sh, -c, "%s"]
                    resources: {cpu: 100m, memory: 32Mi}
                """.formatted(name, command));
        return cluster.cli("apply", "-f", file.toString()).assertOk().stdout().trim();
    }

    private JsonNode awaitPhase(String podId, String... phases) {
        return await("pod " + podId + " in " + String.join("|", phases)).atMost(POD_TIMEOUT)
                .until(() -> cluster.cli("get", podId, "-o", "json").assertOk().json(),
                        pod -> Arrays.asList(phases).contains(pod.path("phase").asText()));
    }

    private RuncCommand runc() {
        return new RuncCommand("runc", dataDir.resolve("agent/runc"));
    }

    @Test
    void aRestartedAgentAdoptsItsPodsAndReportsTheExitItMissed() throws Exception {
        String steady = apply("steady", "sleep 600");
        String brief = apply("brief", "sleep 3; exit 9");
        awaitPhase(steady, "RUNNING");
        awaitPhase(brief, "RUNNING");
        int steadyPid = runc().state(steady).map(RuncState::pid).orElseThrow();

        cluster.agent.close(); // the agent is gone; its pods are not stopped
        cluster.agent = null;
        cluster.runtime.close();
        cluster.runtime = null;
        await("brief ends with no agent watching").atMost(POD_TIMEOUT)
                .until(() -> runc().state(brief).map(s -> !s.running()).orElse(true));
        assertThat(cluster.cli("get", brief, "-o", "json").assertOk().json().path("phase").asText()).isEqualTo("RUNNING");

        cluster.runtime = new RuncRuntime(RuncConfig.defaults(dataDir.resolve("agent")).withCgroupParent(cluster.cgroupParent));
        cluster.agent = AgentDaemon.start(AgentConfig.defaults(dataDir.resolve("agent"))
                .withZkConnect(cluster.zookeeper.getConnectString()).withReserve(0, 0), cluster.runtime);

        JsonNode ended = awaitPhase(brief, "FAILED", "SUCCEEDED", "KILLED", "LOST");
        assertThat(ended.path("phase").asText()).isEqualTo("FAILED");
        assertThat(ended.path("exitCode").asInt()).isEqualTo(9);
        assertThat(ended.path("attempt").asInt()).isEqualTo(1);

        JsonNode still = cluster.cli("get", steady, "-o", "json").assertOk().json();
        assertThat(still.path("phase").asText()).isEqualTo("RUNNING");
        assertThat(still.path("attempt").asInt()).isEqualTo(1);
        assertThat(runc().state(steady).map(RuncState::pid)).contains(steadyPid);

        cluster.cli("kill", steady).assertOk();
        assertThat(awaitPhase(steady, "KILLED", "FAILED").path("phase").asText()).isEqualTo("KILLED");
    }
}
