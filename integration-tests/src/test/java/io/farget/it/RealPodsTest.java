package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.sandbox.RestartBackoff;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import io.farget.cli.FargetCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods as users write them, through the whole system (CLI apply -> scheduler -> agent -> runc): an
 * init container filling an emptyDir for two containers that talk over 127.0.0.1, restart policies
 * with per-container statuses, the OOM-killed container named, logs --tail, and exec.
 */
@Tag("runc")
class RealPodsTest {
    private static final Duration POD_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path specs;

    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster(dataDir, c -> c.withRestartBackoff(
                new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMinutes(10))));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
            assertThat(cluster.cgroupLeftovers()).isEmpty();
            try (var runcState = Files.list(dataDir.resolve("agent/runc"))) {
                assertThat(runcState.toList()).as("runc state left behind").isEmpty();
            }
        }
    }

    private static String apply(String name, String yaml) throws Exception {
        Path file = specs.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return cluster.cli("apply", "-f", file.toString()).assertOk().stdout().trim();
    }

    private static JsonNode awaitPhase(String podId, String... phases) {
        return await("pod " + podId + " in " + String.join("|", phases)).atMost(POD_TIMEOUT)
                .until(() -> cluster.cli("get", podId, "-o", "json").assertOk().json(),
                        pod -> java.util.Arrays.asList(phases).contains(pod.path("phase").asText()));
    }

    @Test
    void anInitContainerFillsAVolumeForTwoContainersTalkingOverLoopback() throws Exception {
        String id = apply("duo", """
                name: duo
                volumes:
                  - name: data
                    emptyDir: {}
                initContainers:
                  - name: setup
                    command: [sh, -c, "echo hello-from-init > /data/greeting"]
                    volumeMounts: [{name: data, mountPath: /data}]
                containers:
                  - name: server
                    command: [sh, -c, "busybox nc -l -p 8080 > /data/received; echo server got $(cat /data/received)"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  - name: client
                    command: [sh, -c, "i=0; until busybox nc -w 1 127.0.0.1 8080 < /data/greeting; do i=$((i+1)); [ $i -gt 100 ] && exit 9; sleep 0.1; done; echo one; echo two; echo sent"]
                    volumeMounts: [{name: data, mountPath: /data}]
                """);

        JsonNode pod = awaitPhase(id, "SUCCEEDED", "FAILED");

        assertThat(pod.path("phase").asText()).as(pod.toString()).isEqualTo("SUCCEEDED");
        assertThat(pod.path("containers").findValuesAsText("state")).containsOnly("EXITED");
        assertThat(pod.path("initContainers").get(0).path("exitCode").asInt()).isZero();
        assertThat(cluster.cli("logs", id, "--container", "server").assertOk().stdout()).contains("server got hello-from-init");
        assertThat(cluster.cli("logs", id, "--container", "client", "--tail", "2").assertOk().stdout()).isEqualTo("two\nsent\n");
    }

    @Test
    void onFailureRestartsInPlaceAndGetShowsTheRestartCount() throws Exception {
        String id = apply("retry", """
                name: retry
                restart: OnFailure
                volumes: [{name: data, emptyDir: {}}]
                containers:
                  - name: main
                    command: [sh, -c, "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run $n; [ $n -ge 3 ]"]
                    volumeMounts: [{name: data, mountPath: /data}]
                """);

        JsonNode pod = awaitPhase(id, "SUCCEEDED", "FAILED");

        assertThat(pod.path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(pod.path("containers").get(0).path("restartCount").asInt()).isEqualTo(2);
        assertThat(cluster.cli("logs", id).assertOk().stdout()).contains("run 1", "run 2", "run 3");
    }

    @Test
    void theOomKilledContainerOfAPodIsNamed() throws Exception {
        String id = apply("hog", """
                name: hog
                containers:
                  - name: idle
                    command: [sleep, "30"]
                    resources: {memory: 16Mi}
                  - name: hog
                    command: [sh, -c, "x=$(head -c 200000000 /dev/zero | tr '\\\\0' a); echo survived"]
                    resources: {memory: 16Mi}
                """);

        await().atMost(POD_TIMEOUT).untilAsserted(() -> {
            JsonNode pod = cluster.cli("get", id, "-o", "json").assertOk().json();
            JsonNode hog = pod.path("containers").get(1);
            assertThat(hog.path("reason").asText()).isEqualTo("OOMKilled");
            assertThat(hog.path("exitCode").asInt()).isEqualTo(137);
        });
        cluster.cli("kill", id).assertOk();
        awaitPhase(id, "KILLED", "FAILED");
    }

    @Test
    void execRunsInTheRunningContainerWithStdinAndReturnsItsExitCode() throws Exception {
        String id = cluster.cli("run", "--name", "box", "--", "sleep", "60").assertOk().stdout().trim();
        awaitPhase(id, "RUNNING");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FargetCli.execute(new ByteArrayInputStream("piped-in\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FARGET_SERVER", cluster.server()), "exec", "-i", id, "--", "sh", "-c",
                "echo in=$(cat); echo pid1=$(cat /proc/1/comm); echo warn >&2; exit 7");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(7);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("in=piped-in", "pid1=sleep");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warn");
        CliRun missing = cluster.cli("exec", id, "--container", "nope", "--", "true");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("no container 'nope'");
        cluster.cli("kill", id).assertOk();
        awaitPhase(id, "KILLED");
    }

    @Test
    void execWithATerminalGetsAPtyOfTheAnnouncedSize() throws Exception {
        String id = cluster.cli("run", "--name", "term", "--", "sleep", "60").assertOk().stdout().trim();
        JsonNode running = awaitPhase(id, "RUNNING");
        assertThat(running.has("ip")).as("ip is always in the JSON").isTrue();
        assertThat(running.path("ip").isNull()).as("no pod network in this cluster: no address").isTrue();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // No terminal here: the CLI stays cooked and takes the size from LINES and COLUMNS, the remote side still gets a PTY.
        int exit = FargetCli.execute(new ByteArrayInputStream("typed\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FARGET_SERVER", cluster.server(), "LINES", "33", "COLUMNS", "99"), "exec", "-it", id, "--", "sh", "-c",
                "tty; stty size; read line; echo got=$line; echo to-stderr >&2; exit 4");

        String screen = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(4);
        assertThat(screen).containsPattern("/dev/pts/\\d+").contains("33 99", "got=typed", "to-stderr");
        assertThat(screen).as("a terminal ends lines with CR LF").contains("\r\n");
        cluster.cli("kill", id).assertOk();
        awaitPhase(id, "KILLED");
    }

    @Test
    void execWithATerminalButNoSizeToTellGetsTwentyFourByEighty() throws Exception {
        String id = cluster.cli("run", "--name", "term-default", "--", "sleep", "60").assertOk().stdout().trim();
        awaitPhase(id, "RUNNING");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // stdin is not a terminal and neither LINES nor COLUMNS is set: a 0 x 0 terminal would break full-screen programs.
        int exit = FargetCli.execute(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FARGET_SERVER", cluster.server()),
                "exec", "-t", id, "--", "stty", "size");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("24 80");
        cluster.cli("kill", id).assertOk();
        awaitPhase(id, "KILLED");
    }
}
