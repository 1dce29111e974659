package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.agent.state.UsageJournal;
import io.farget.agent.task.UsageMath;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageSample;
import io.farget.sandbox.SandboxStats;
import io.farget.sandbox.cgroup.CgroupUsage;
import io.farget.sandbox.cgroup.Cgroups;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's cost of one sampling round for 100 pods, measured in CPU time of this thread: read
 * each pod's real cgroup counters (the host's cgroup file system, 100 real cgroups), fold them into
 * cumulative usage, and record the round in the on-disk usage journal.
 */
@Tag("runc")
class SamplingCostTest {
    private static final Logger log = LoggerFactory.getLogger(SamplingCostTest.class);
    private static final int PODS = 100;
    private static final int ROUNDS = 200;

    @TempDir
    Path dataDir;

    private final String parent = "farget-cost-" + UUID.randomUUID().toString().substring(0, 8);
    private final Cgroups cgroups = Cgroups.detect();

    @AfterEach
    void removeCgroups() throws Exception {
        cgroups.remove("/" + parent);
        try (var hierarchies = Files.list(Cgroups.DEFAULT_ROOT)) {
            for (Path p : hierarchies.map(h -> h.resolve(parent)).filter(Files::exists).toList()) {
                try (var dirs = Files.walk(p)) {
                    dirs.sorted(Comparator.reverseOrder()).forEach(d -> d.toFile().delete());
                }
            }
        }
    }

    @Test
    void aSamplingRoundOfAHundredPodsCostsLittleCpu() throws Exception {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            String path = "/" + parent + "/pod-" + i;
            cgroups.limit(path, new io.farget.sandbox.cgroup.CgroupLimits(1000, 64L << 20, 64));
            for (String hierarchy : List.of("cpuacct", "memory")) {
                Files.createDirectories(Cgroups.DEFAULT_ROOT.resolve(hierarchy).resolve(parent).resolve("pod-" + i));
            }
            paths.add(path);
        }
        UsageJournal journal = UsageJournal.open(dataDir.resolve("usage-journal.json"), Clock.systemUTC(), UsageJournal.DEFAULT_MAX_PENDING);
        PodUsage[] usage = new PodUsage[PODS];
        for (int i = 0; i < PODS; i++) {
            usage[i] = UsageMath.initial(Instant.now());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        round(paths, usage, journal); // warm up class loading and the JIT a little
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long wallBefore = System.nanoTime();
        for (int r = 0; r < ROUNDS; r++) {
            round(paths, usage, journal);
        }
        double cpuMillisPerRound = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e6 / ROUNDS;
        double wallMillisPerRound = (System.nanoTime() - wallBefore) / 1e6 / ROUNDS;
        double coresAtTenSeconds = cpuMillisPerRound / 10_000;
        log.info("FIGURE agent sampling cost per 100 pods (cgroup {}): {} ms CPU per round ({} ms wall), "
                        + "{} % of one core at the default 10 s interval",
                cgroups.version(), String.format("%.2f", cpuMillisPerRound), String.format("%.2f", wallMillisPerRound),
                String.format("%.3f", coresAtTenSeconds * 100));

        assertThat(cpuMillisPerRound).isLessThan(200); // far below the 10,000 ms of one interval
    }

    private void round(List<String> paths, PodUsage[] usage, UsageJournal journal) {
        List<PodUsageSample> samples = new ArrayList<>(PODS);
        Instant now = Instant.now();
        for (int i = 0; i < PODS; i++) {
            CgroupUsage u = cgroups.usage(paths.get(i)).orElseThrow();
            usage[i] = UsageMath.next(usage[i], new SandboxStats(u.cpuNanos(), u.workingSetBytes(), u.peakMemoryBytes()), now);
            samples.add(PodUsageSample.newBuilder().setPodId("pod-" + i).setAttempt(1).setUsage(usage[i]).build());
        }
        journal.record(samples, false);
        journal.flush();
    }
}
