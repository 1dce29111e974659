package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pod from the CLI to a real runc sandbox and back, through a real ZooKeeper and real gRPC. */
@Tag("runc")
class WalkingSkeletonTest {
    private static final Duration POD_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(dataDir);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
            assertThat(cluster.cgroupLeftovers()).isEmpty();
        }
    }

    private static JsonNode awaitPhase(String podId, String... phases) {
        return await("pod " + podId + " in " + String.join("|", phases)).atMost(POD_TIMEOUT)
                .until(() -> cluster.cli("get", podId, "-o", "json").assertOk().json(),
                        pod -> java.util.Arrays.asList(phases).contains(pod.path("phase").asText()));
    }

    @Test
    void podExitingWithThreeFailsWithItsExitCodeAndItsOwnPidAndHostname() {
        String id = cluster.cli("run", "--name", "hello", "--cpu", "0.5", "--memory", "64Mi", "--",
                "sh", "-c", "echo pid=$$; echo host=$(hostname); exit 3").assertOk().stdout().trim();

        JsonNode pod = awaitPhase(id, "FAILED", "SUCCEEDED");

        assertThat(pod.path("phase").asText()).isEqualTo("FAILED");
        assertThat(pod.path("exitCode").asInt()).isEqualTo(3);
        assertThat(pod.path("node").asText()).isEqualTo(cluster.agent.nodeId());
        assertThat(pod.path("startedAt").isNull()).isFalse();
        assertThat(pod.path("finishedAt").isNull()).isFalse();
        String logs = cluster.cli("logs", id).assertOk().stdout();
        assertThat(logs).contains("pid=1").contains("host=hello");
    }

    @Test
    void podAllocatingPastItsMemoryLimitIsOomKilled() {
        String id = cluster.cli("run", "--name", "hog", "--memory", "16Mi", "--",
                "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived").assertOk().stdout().trim();

        JsonNode pod = awaitPhase(id, "FAILED", "SUCCEEDED");

        assertThat(pod.path("phase").asText()).isEqualTo("FAILED");
        assertThat(pod.path("exitCode").asInt()).isEqualTo(137);
        assertThat(pod.path("reason").asText()).isEqualTo("OOMKilled");
    }

    @Test
    void podLargerThanEveryHostStaysPendingWithAReason() {
        String id = cluster.cli("run", "--name", "huge", "--cpu", "4096", "--", "true").assertOk().stdout().trim();

        // Placement runs at least every second: after several passes the pod is still unplaced, with a reason.
        await().pollDelay(Duration.ofSeconds(3)).atMost(POD_TIMEOUT).untilAsserted(() -> {
            JsonNode pod = cluster.cli("get", id, "-o", "json").assertOk().json();
            assertThat(pod.path("phase").asText()).isEqualTo("PENDING");
            assertThat(pod.path("node").isNull()).isTrue();
            assertThat(pod.path("reason").asText()).contains("insufficient cpu");
        });
        assertThat(cluster.runtime.list()).doesNotContain(id);
        cluster.cli("kill", id).assertOk();
    }

    @Test
    void badInputIsRejectedNamingTheFieldAndNothingIsStored() {
        int before = cluster.cli("ps", "-o", "json").assertOk().json().size();

        CliRun zeroCpu = cluster.cli("run", "--cpu", "0", "--", "true");
        CliRun tinyMemory = cluster.cli("run", "--memory", "1Mi", "--", "true");
        CliRun badName = cluster.cli("run", "--name", "Not_A_Label", "--", "true");

        assertThat(zeroCpu.exitCode()).isEqualTo(1);
        assertThat(zeroCpu.stderr()).contains("resources.cpu").doesNotContain("Exception").hasLineCount(1);
        assertThat(zeroCpu.stdout()).isEmpty();
        assertThat(tinyMemory.exitCode()).isEqualTo(1);
        assertThat(tinyMemory.stderr()).contains("resources.memory");
        assertThat(badName.exitCode()).isEqualTo(1);
        assertThat(badName.stderr()).contains("name");
        assertThat(cluster.cli("ps", "-o", "json").assertOk().json().size()).isEqualTo(before);
    }

    @Test
    void restartedSchedulerStillKnowsEveryPod() throws Exception {
        String done = cluster.cli("run", "--name", "done", "--", "true").assertOk().stdout().trim();
        String running = cluster.cli("run", "--name", "sleeper", "--", "sleep", "600").assertOk().stdout().trim();
        awaitPhase(done, "SUCCEEDED");
        awaitPhase(running, "RUNNING");

        cluster.restartScheduler();

        await().atMost(POD_TIMEOUT).until(cluster.agent::isConnected);
        assertThat(cluster.cli("get", done, "-o", "json").assertOk().json().path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(awaitPhase(running, "RUNNING").path("node").asText()).isEqualTo(cluster.agent.nodeId());
        cluster.cli("kill", running).assertOk();
        assertThat(awaitPhase(running, "KILLED").path("phase").asText()).isEqualTo("KILLED");
        await().atMost(POD_TIMEOUT).until(() -> !cluster.runtime.list().contains(running));
    }

    @Test
    void nodesAndUsageReportTheHostAndWhatPodsUsed() {
        JsonNode nodes = cluster.cli("nodes", "-o", "json").assertOk().json();
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).path("state").asText()).isEqualTo("READY");
        assertThat(nodes.get(0).path("arch").asText()).isIn("x86_64", "aarch64");
        assertThat(nodes.get(0).path("capacity").path("memoryBytes").asLong()).isPositive();

        String id = cluster.cli("run", "--name", "burn", "--cpu", "1", "--",
                "sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").assertOk().stdout().trim();
        awaitPhase(id, "SUCCEEDED");

        JsonNode usage = await().atMost(POD_TIMEOUT).until(() -> cluster.cli("usage", id, "-o", "json").assertOk().json(),
                u -> u.path("cpuSeconds").asDouble() > 0);
        assertThat(usage.path("cpuSeconds").asDouble()).isBetween(0.05, 30.0);
        assertThat(usage.path("peakMemoryBytes").asLong()).isPositive();
        assertThat(usage.path("billedVcpuSeconds").asDouble()).isEqualTo(60.0);
    }

    @Test
    void statusNamesTheLeaderAndZooKeeperHealth() {
        JsonNode status = cluster.cli("status", "-o", "json").assertOk().json();
        assertThat(status.path("leader").asText()).isEqualTo(cluster.server());
        assertThat(status.path("zookeeper").asText()).isEqualTo("ok");
        assertThat(status.path("schedulers").get(0).path("role").asText()).isEqualTo("leader");
    }

    static boolean mountedUnder(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(dir.toString()));
    }
}
