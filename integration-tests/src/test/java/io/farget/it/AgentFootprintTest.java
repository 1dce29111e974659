package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness behind the agent's memory target (at most 100 MB resident with 50 running pods): a
 * real agent process as operators get it ({@code java -jar farget.jar}, the JVM settings of the {@code farget} script, agent.env
 * and the systemd unit, {@link #AGENT_JVM_OPTIONS}; the scheduler list of the unit,
 * {@code --scheduler}) runs 50 sleeping pods; its VmRSS is sampled every 100 ms while the pods start
 * (the peak) and for a while once they run, and the highest figures are logged ("FIGURE ...", about
 * 92 MiB, 96 MB, on the 2-core VM). It asserts that the pods run; the figure is a measurement, read
 * from the log, as a timing would be. {@code -Dfarget.footprint.baseline=true} also measures, side by
 * side in the same run, the agent finding the leader through ZooKeeper ({@code --zk}: its client
 * costs about 10 MB) and the JVM settings from before the tuning.
 */
@Tag("runc")
class AgentFootprintTest {
    private static final Logger log = LoggerFactory.getLogger(AgentFootprintTest.class);
    private static final int PODS = 50;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Keep in step with the farget script's agent options, deploy/config/agent.env and deploy/systemd/farget-agent.service. */
    static final List<String> AGENT_JVM_OPTIONS = List.of(System.getProperty("farget.footprint.options",
            "-XX:+UseSerialGC -Xms16m -Xmx64m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MaxMetaspaceSize=96m "
                    + "-XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData -XX:TrimNativeHeapInterval=1000 "
                    + "-Dio.grpc.netty.useCustomAllocator=false "
                    + "-Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled")
            .split(" "));
    /** glibc's malloc keeps an arena per thread by default (up to 8 per core), each holding freed memory. */
    static final Map<String, String> AGENT_ENV = Map.of("MALLOC_ARENA_MAX", "2");
    private static final List<String> BASELINE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx256m");

    @TempDir
    Path dataDir;

    private final String cgroupParent = "farget-footprint-" + UUID.randomUUID().toString().substring(0, 8);
    private TestingServer zk;
    private Daemons daemons;
    private RssSampler sampler;

    @AfterEach
    void cleanUp() throws Exception {
        if (sampler != null) {
            sampler.stop();
        }
        if (daemons != null) {
            daemons.close();
        }
        removeContainers();
        if (zk != null) {
            zk.close();
        }
    }

    @Test
    void anAgentRunningFiftyPodsStaysSmall() throws Exception {
        zk = new TestingServer(true);
        daemons = new Daemons(dataDir);
        String server = "127.0.0.1:" + Daemons.freePort();
        daemons.start("scheduler", "scheduler", "--zk", zk.getConnectString(), "--bind", "127.0.0.1",
                "--port", server.substring(server.indexOf(':') + 1), "--metrics-port", "0");
        await("scheduler leads").atMost(WAIT).ignoreExceptions()
                .until(() -> CliRun.of(server, "status", "-o", "json").assertOk().json().path("leader").asText().equals(server));

        List<String> deployed = List.of("--scheduler", server);
        if (Boolean.getBoolean("farget.footprint.baseline")) {
            List<String> throughZooKeeper = List.of("--zk", zk.getConnectString());
            Rss baseline = measure("baseline", BASELINE_JVM_OPTIONS, Map.of(), throughZooKeeper, server);
            Rss tunedZk = measure("tuned-zk", AGENT_JVM_OPTIONS, AGENT_ENV, throughZooKeeper, server);
            Rss tuned = measure("tuned", AGENT_JVM_OPTIONS, AGENT_ENV, deployed, server);
            log.info("FIGURE agent RSS with {} running pods: tuned {} MiB, tuned with --zk {} MiB, baseline (--zk) {} MiB "
                            + "(ratio tuned/baseline {})", PODS, tuned.mib(), tunedZk.mib(), baseline.mib(),
                    String.format("%.2f", (double) tuned.peakKib() / baseline.peakKib()));
        } else {
            measure("tuned", AGENT_JVM_OPTIONS, AGENT_ENV, deployed, server);
        }
    }

    /** Peak resident memory and thread count of the agent process over the sampling window. */
    private record Rss(long peakKib, int threads) {
        String mib() {
            return String.format("%.1f", peakKib / 1024.0);
        }
    }

    private Rss measure(String name, List<String> jvmOptions, Map<String, String> env, List<String> findLeader, String server)
            throws Exception {
        // One data dir for every run: the same node registers again, so each run places its pods on its own agent.
        Path agentDir = dataDir.resolve("agent");
        Files.createDirectories(agentDir);
        Path agentLog = dataDir.resolve("agent-" + name + ".log");
        List<String> args = new ArrayList<>(List.of("agent", "--data-dir", agentDir.toString(), "--cgroup-parent", cgroupParent,
                "--reserve-memory", "0"));
        args.addAll(findLeader);
        Process agent = daemons.startPackaged("agent-" + name, jvmOptions, env, args.toArray(String[]::new));
        await("agent registered").atMost(WAIT).ignoreExceptions()
                .until(() -> Files.readString(agentLog, StandardCharsets.UTF_8).contains("Registered as"));
        assertThat(readyNodes(server)).isEqualTo(1);
        // Sampled from the first submit on: the peak comes while the pods start (threads, classes, heap all grow then).
        RssSampler whileStarting = RssSampler.start(agent.pid(), Duration.ofMillis(100));
        sampler = whileStarting; // stopped by cleanUp should the pods never run
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            ids.add(CliRun.of(server, "run", "--name", "sleep-" + name + "-" + i, "--cpu", "0.01", "--memory", "16Mi",
                    "--", "sleep", "3600").assertOk().stdout().trim());
        }
        await(PODS + " pods running").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> running(server, ids) == PODS);
        long[] startPeak = whileStarting.stop();

        // Sample through more than one usage interval (10 s): the steady state includes sampling and reporting.
        List<long[]> samples = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> samples.add(status(agent.pid())) && samples.size() >= 15);
        long steady = samples.stream().mapToLong(s -> s[0]).max().orElseThrow();
        int steadyThreads = (int) samples.stream().mapToLong(s -> s[1]).max().orElseThrow();
        assertThat(running(server, ids)).isEqualTo(PODS);
        Rss rss = new Rss(Math.max(steady, startPeak[0]), (int) Math.max(steadyThreads, startPeak[1]));
        log.info("FIGURE agent RSS with {} running pods ({}): {} MiB ({} MB) peak while they started ({} threads), {} MiB peak "
                        + "over {} samples once running ({} threads); JVM options {}",
                PODS, name, String.format("%.1f", startPeak[0] / 1024.0), String.format("%.1f", startPeak[0] * 1024 / 1e6),
                startPeak[1], String.format("%.1f", steady / 1024.0), samples.size(), steadyThreads,
                env + " " + String.join(" ", jvmOptions));

        for (String id : ids) {
            CliRun.of(server, "kill", id).assertOk();
        }
        await("pods ended").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> running(server, ids) == 0);
        agent.destroy();
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
            log.warn("the {} agent did not stop within 30 s of SIGTERM; killing it", name);
            Daemons.killNine(agent); // harmless: a later agent adopts or cleans what it left
        }
        return rss;
    }

    /** Samples a process's VmRSS and thread count on a thread of its own, keeping the highest of each. */
    private static final class RssSampler {
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.AtomicLong peakKib = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong peakThreads = new java.util.concurrent.atomic.AtomicLong();

        static RssSampler start(long pid, Duration every) {
            RssSampler sampler = new RssSampler();
            sampler.timer.scheduleAtFixedRate(() -> {
                try {
                    long[] now = status(pid);
                    sampler.peakKib.accumulateAndGet(now[0], Math::max);
                    sampler.peakThreads.accumulateAndGet(now[1], Math::max);
                } catch (IOException | RuntimeException e) {
                    // the process is gone: the peak so far stands
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
            return sampler;
        }

        /** Stops sampling; returns the peak VmRSS (KiB) and thread count. */
        long[] stop() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            return new long[] {peakKib.get(), peakThreads.get()};
        }
    }

    private static int readyNodes(String server) {
        JsonNode nodes = CliRun.of(server, "nodes", "-o", "json").assertOk().json();
        return (int) StreamSupport.stream(nodes.spliterator(), false).filter(n -> n.path("state").asText().equals("READY")).count();
    }

    private static int running(String server, List<String> ids) {
        JsonNode pods = CliRun.of(server, "ps", "-o", "json").assertOk().json();
        return (int) StreamSupport.stream(pods.spliterator(), false)
                .filter(p -> ids.contains(p.path("id").asText()) && p.path("phase").asText().equals("RUNNING")).count();
    }

    /** VmRSS (KiB) and Threads of a process, from /proc/PID/status. */
    private static long[] status(long pid) throws IOException {
        long rss = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
            String[] parts = line.split("\\s+");
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(parts[1]);
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(parts[1]);
            }
        }
        return new long[] {rss, threads};
    }

    /** The agent leaves pods running when it stops (by design): delete what is left, then the cgroups. */
    private void removeContainers() throws IOException, InterruptedException {
        Path runcRoot = dataDir.resolve("agent/runc");
        if (Files.isDirectory(runcRoot)) {
            try (var ids = Files.list(runcRoot)) {
                for (Path id : ids.toList()) {
                    new ProcessBuilder("runc", "--root", runcRoot.toString(), "delete", "-f", id.getFileName().toString())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                            .waitFor(10, TimeUnit.SECONDS);
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
    }
}
