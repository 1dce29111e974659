package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.sandbox.FakeRuntime;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.metering.MeteringSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.threeten.extra.MutableClock;

/**
 * Billing end to end with a hand-moved clock: a real ZooKeeper, scheduler and agent over gRPC on
 * 127.0.0.1, pods in the FakeRuntime (whose CPU counter grows with that clock), the CLI in-process.
 */
class MeteringBillingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long GI = 1L << 30;

    @TempDir
    Path dataDir;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    private FakeRuntime runtime;
    private SchedulerServer scheduler;

    @BeforeEach
    void start() throws Exception {
        TestingServer zk = track(new TestingServer(true));
        scheduler = track(SchedulerServer.start(SchedulerConfig.defaults(zk.getConnectString()).withPort(0)
                .withClock(clock).withUsageInterval(Duration.ofMillis(300))
                .withMetering(MeteringSettings.defaults().withFlushInterval(Duration.ofMillis(300)).withMetrics("127.0.0.1", 0))));
        scheduler.awaitLeadership(WAIT);
        runtime = track(new FakeRuntime(clock, null, null));
        runtime.setScripts(r -> FakeRuntime.Script.runForever().withUsage(500_000_000L, 100L << 20)); // half a core, 100 MiB
        AgentDaemon agent = track(AgentDaemon.start(AgentConfig.defaults(dataDir).withZkConnect(zk.getConnectString())
                .withClock(clock).withArch(Arch.ARCH_X86_64).withCapacity(ResourceMath.of(8000, 16 * GI)), runtime));
        await().atMost(WAIT).until(agent::isConnected);
    }

    @AfterEach
    void stop() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        cleanup.push(c);
        return c;
    }

    private CliRun cli(String... args) {
        return CliRun.of(scheduler.address(), args);
    }

    private String run(String name) {
        String id = cli("run", "--name", name, "--cpu", "1", "--memory", "1Gi", "--", "true").assertOk().stdout().trim();
        await().atMost(WAIT).until(() -> cli("get", id, "-o", "json").assertOk().json().path("phase").asText().equals("RUNNING"));
        return id;
    }

    private JsonNode usage(String id) {
        return cli("usage", id, "-o", "json").assertOk().json();
    }

    @Test
    void aTwentySecondPodIsBilledSixtyVcpuSecondsAndANinetySecondOneNinety() throws Exception {
        String twenty = run("twenty");
        String ninety = run("ninety");

        clock.add(Duration.ofSeconds(20));
        runtime.finish(twenty, 0, false);
        clock.add(Duration.ofSeconds(70));
        runtime.finish(ninety, 0, false);
        await().atMost(WAIT).until(() -> usage(ninety).path("finishedAt").isTextual() && usage(twenty).path("finishedAt").isTextual());

        JsonNode short20 = usage(twenty);
        JsonNode long90 = usage(ninety);
        assertThat(short20.path("billedVcpuSeconds").decimalValue()).isEqualByComparingTo("60");
        assertThat(short20.path("billedGbSeconds").decimalValue()).isEqualByComparingTo("60");
        assertThat(short20.path("cpuSeconds").decimalValue()).isEqualByComparingTo("10");
        assertThat(long90.path("billedVcpuSeconds").decimalValue()).isEqualByComparingTo("90");
        assertThat(long90.path("billedGbSeconds").decimalValue()).isEqualByComparingTo("90");
        assertThat(long90.path("cpuSeconds").decimalValue()).isEqualByComparingTo("45");
        assertThat(long90.path("peakMemoryBytes").asLong()).isEqualTo(100L << 20);
        // 90 vCPU-s and 90 GB-s at 0.04048 and 0.004445 per hour:
        assertThat(long90.path("cost").decimalValue()).isEqualByComparingTo("0.00112313"); // 0.001123125, 8 places

        JsonNode byNode = cli("usage", "--by", "node", "-o", "json").assertOk().json();
        assertThat(byNode).hasSize(1);
        assertThat(byNode.get(0).path("billedVcpuSeconds").decimalValue()).isEqualByComparingTo("150");
        assertThat(cli("usage", "-o", "csv").assertOk().stdout()).startsWith("podId,podName,group,podCount");

        await().atMost(WAIT).untilAsserted(() -> assertThat(metrics())
                .contains("farget_billed_vcpu_seconds_total 150.0")
                .contains("farget_usage_cpu_seconds_total 55.0"));
    }

    @Test
    void recommendTellsAnOversizedPodToShrink() {
        String id = run("idle");
        for (int i = 0; i < 6; i++) { // samples every 300 ms of real time, 10 s of clock time apart
            long before = usage(id).path("memoryByteSeconds").asLong(); // read before the clock moves: no race
            clock.add(Duration.ofSeconds(10));
            await().atMost(WAIT).until(() -> usage(id).path("memoryByteSeconds").asLong() > before);
        }

        JsonNode advice = cli("usage", "--recommend", "-o", "json").assertOk().json();

        assertThat(advice).hasSize(1);
        assertThat(advice.get(0).path("suggested").path("cpu").decimalValue()).isLessThan(advice.get(0).path("requested").path("cpu").decimalValue());
        assertThat(advice.get(0).path("monthlySaving").decimalValue()).isPositive();
    }

    private String metrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + scheduler.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
