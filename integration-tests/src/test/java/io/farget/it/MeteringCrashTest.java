package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger survives crashes, as the metering issue asks: kill -9 of the leading scheduler process
 * and then of the agent process while a real load runs. The pod keeps running through both (the
 * agent re-adopts it), and the final ledger matches the pod's cgroup CPU counter within 1 %, with
 * nothing counted twice.
 */
@Tag("runc")
class MeteringCrashTest {
    private static final Logger log = LoggerFactory.getLogger(MeteringCrashTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final String cgroupParent = "farget-crash-" + UUID.randomUUID().toString().substring(0, 8);
    private TestingServer zk;
    private Daemons daemons;
    private MeteringAccuracyTest.CgroupPoller poller;

    @AfterEach
    void cleanUp() throws Exception {
        if (poller != null) {
            poller.close();
        }
        if (daemons != null) {
            daemons.close();
        }
        Path runcRoot = dataDir.resolve("agent/runc");
        if (Files.isDirectory(runcRoot)) {
            try (var ids = Files.list(runcRoot)) {
                for (Path id : ids.toList()) {
                    new ProcessBuilder("runc", "--root", runcRoot.toString(), "delete", "-f", id.getFileName().toString())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path parent : hierarchies.map(h -> h.resolve(cgroupParent)).filter(Files::exists).toList()) {
                try (var dirs = Files.walk(parent)) {
                    dirs.sorted(Comparator.reverseOrder()).filter(Files::isDirectory).forEach(d -> d.toFile().delete());
                }
            }
        }
        if (zk != null) {
            zk.close();
        }
    }

    @Test
    void ledgerMatchesTheCgroupAfterKillNineOfTheLeaderAndOfTheAgent() throws Exception {
        zk = new TestingServer(true);
        daemons = new Daemons(dataDir);
        Files.createDirectories(dataDir.resolve("agent"));
        String first = "127.0.0.1:" + Daemons.freePort();
        String second = "127.0.0.1:" + Daemons.freePort();
        String servers = first + "," + second;
        Process leader = scheduler(first);
        await("first scheduler leads").atMost(WAIT).ignoreExceptions()
                .until(() -> CliRun.of(first, "status", "-o", "json").assertOk().json().path("leader").asText().equals(first));
        scheduler(second);
        String[] agentArgs = {"agent", "--zk", zk.getConnectString(), "--data-dir", dataDir.resolve("agent").toString(),
                "--cgroup-parent", cgroupParent, "--reserve-memory", "0"};
        Process agent = daemons.start("agent-1", agentArgs);
        await("agent registered").atMost(WAIT).ignoreExceptions()
                .until(() -> CliRun.of(servers, "nodes", "-o", "json").assertOk().json().path(0).path("state").asText().equals("READY"));

        String id = CliRun.of(servers, "run", "--name", "burn", "--cpu", "1", "--memory", "128Mi", "--",
                "stress-ng", "--cpu", "1", "--cpu-load", "50", "--timeout", "15s", "--temp-path", "/tmp").assertOk().stdout().trim();
        await("pod running").atMost(WAIT).until(() -> phase(servers, id).equals("RUNNING"));
        poller = new MeteringAccuracyTest.CgroupPoller(cgroupParent, id);
        await().atMost(WAIT).until(() -> poller.cpuSeconds(id) > 1.0);

        Daemons.killNine(leader);
        await("second scheduler leads").atMost(WAIT).ignoreExceptions()
                .until(() -> CliRun.of(second, "status", "-o", "json").assertOk().json().path("leader").asText().equals(second));
        await().atMost(WAIT).until(() -> poller.cpuSeconds(id) > 2.5);

        Daemons.killNine(agent);
        double whileNoAgent = poller.cpuSeconds(id);
        await("the pod runs on without its agent").atMost(WAIT).until(() -> poller.cpuSeconds(id) > whileNoAgent + 0.5);
        daemons.start("agent-2", agentArgs);

        await("pod succeeded").atMost(WAIT).until(() -> phase(servers, id).equals("SUCCEEDED"));
        await("the pod's cgroup is gone").atMost(WAIT).until(poller::allGone);
        double truth = poller.cpuSeconds(id);
        JsonNode usage = await("ledger caught up").atMost(WAIT)
                .until(() -> CliRun.of(servers, "usage", id, "-o", "json").assertOk().json(),
                        u -> Math.abs(u.path("cpuSeconds").asDouble() - truth) <= truth * 0.01);
        log.info("FIGURE kill -9 of leader and agent during a metered run: ledger {} CPU-s, cgroup {} CPU-s ({} %)",
                usage.path("cpuSeconds").asDouble(), truth, String.format("%+.2f", (usage.path("cpuSeconds").asDouble() / truth - 1) * 100));
        assertThat(usage.path("cpuSeconds").asDouble()).isCloseTo(truth, Percentage.withPercentage(1));
        assertThat(CliRun.of(servers, "get", id, "-o", "json").assertOk().json().path("attempt").asInt())
                .as("re-adopted, never relaunched").isEqualTo(1);
        String agentLog = Files.readString(dataDir.resolve("agent-2.log"), StandardCharsets.UTF_8);
        assertThat(agentLog).contains("adopted");
    }

    private Process scheduler(String address) throws Exception {
        String port = address.substring(address.indexOf(':') + 1);
        return daemons.start("scheduler-" + port, "scheduler", "--zk", zk.getConnectString(), "--bind", "127.0.0.1",
                "--port", port, "--metrics-port", "0");
    }

    private static String phase(String servers, String id) {
        return CliRun.of(servers, "get", id, "-o", "json").assertOk().json().path("phase").asText();
    }
}
