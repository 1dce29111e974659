package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the leading scheduler PROCESS during a burst of submissions, twice, with three replicas:
 * every submission the CLI reported as accepted exists exactly once afterwards, and the time from the
 * kill to the next accepted write is measured (the agent runs the fake runtime: pods need no runc here).
 */
class LeaderFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(LeaderFailoverTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private TestingServer zk;
    private Daemons daemons;

    @AfterEach
    void stop() throws Exception {
        if (daemons != null) {
            daemons.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    @Test
    void killNineOfTheLeaderMidBurstLosesAndDuplicatesNothing() throws Exception {
        zk = new TestingServer(true);
        daemons = new Daemons(dataDir);
        List<String> addresses = new ArrayList<>();
        Map<String, Process> schedulers = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            String address = "127.0.0.1:" + Daemons.freePort();
            addresses.add(address);
            schedulers.put(address, daemons.start("scheduler-" + i, "scheduler", "--zk", zk.getConnectString(),
                    "--bind", "127.0.0.1", "--port", address.substring(address.indexOf(':') + 1), "--metrics-port", "0"));
        }
        String servers = String.join(",", addresses);
        daemons.start("agent", "agent", "--zk", zk.getConnectString(), "--data-dir", dataDir.resolve("agent").toString(),
                "--runtime", "fake", "--reserve-memory", "0");
        await("a leader and a READY node").atMost(WAIT).ignoreExceptions().until(() ->
                CliRun.of(servers, "nodes", "-o", "json").assertOk().json().path(0).path("state").asText().equals("READY"));

        List<String> accepted = new ArrayList<>();
        List<Long> failoverMillis = new ArrayList<>();
        int submitted = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                accepted.add(submit(servers, "burst-" + submitted++));
            }
            String leader = CliRun.of(servers, "status", "-o", "json").assertOk().json().path("leader").asText();
            Daemons.killNine(schedulers.remove(leader));
            long killed = System.nanoTime();
            String first = submit(servers, "burst-" + submitted++); // retried by the CLI until a new leader takes it
            failoverMillis.add((System.nanoTime() - killed) / 1_000_000);
            accepted.add(first);
            for (int i = 0; i < 10; i++) {
                accepted.add(submit(servers, "burst-" + submitted++));
            }
        }

        JsonNode pods = CliRun.of(servers, "ps", "-o", "json").assertOk().json();
        Map<String, Integer> byName = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode pod : pods) {
            byName.merge(pod.path("name").asText(), 1, Integer::sum);
            ids.add(pod.path("id").asText());
        }
        log.info("FIGURE kill -9 of the leader -> first accepted write: {} ms (default settings); {} accepted, {} pods, lost {}, duplicated {}",
                failoverMillis, accepted.size(), pods.size(), accepted.stream().filter(id -> !ids.contains(id)).count(),
                byName.values().stream().filter(n -> n > 1).count());
        assertThat(ids).as("every accepted pod is known").containsAll(accepted);
        assertThat(byName).as("no submission created two pods").allSatisfy((name, count) -> assertThat(count).isEqualTo(1));
        assertThat(pods).hasSize(submitted);
    }

    /** Submits one pod, retrying (same request id inside each CLI run) until a replica accepts it. */
    private static String submit(String servers, String name) {
        return await("pod " + name + " accepted").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> CliRun.of(servers, "run", "--name", name, "--cpu", "0.01", "--memory", "4Mi", "--", "sleep", "600"),
                        run -> run.exitCode() == 0).stdout().trim();
    }
}
