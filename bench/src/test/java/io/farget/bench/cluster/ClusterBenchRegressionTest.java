package io.farget.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet-scale path in small: real scheduler, real ZooKeeper, hollow agents over real gRPC.
 * Fails on lost, duplicated or stuck pods, never on time (the machine is shared and noisy).
 */
class ClusterBenchRegressionTest {

    @Test
    void everyPodRunsExactlyOnce(@TempDir Path work) throws Exception {
        ClusterResult result = ClusterBench.run(ClusterSettings.small(100, 2_000, work));

        assertThat(result.batch()).as("pods per CreatePods call").isEqualTo(ClusterSettings.DEFAULT_BATCH);
        assertThat(result.lost()).as("lost pods").isZero();
        assertThat(result.duplicated()).as("duplicated pods").isZero();
        assertThat(result.stuck()).as("stuck pods").isZero();
        assertThat(result.podsPerSecond()).isPositive();
        System.out.print(ClusterTable.render(result));
    }

    /** The old path, one CreatePod per pod, kept so the two can be compared. */
    @Test
    void everyPodRunsExactlyOnceWithOneCreatePodPerPod(@TempDir Path work) throws Exception {
        ClusterResult result = ClusterBench.run(ClusterSettings.small(100, 1_000, work).withBatch(1));

        assertThat(result.lost()).as("lost pods").isZero();
        assertThat(result.duplicated()).as("duplicated pods").isZero();
        assertThat(result.stuck()).as("stuck pods").isZero();
        System.out.print(ClusterTable.render(result));
    }

    /**
     * Warm-up pods run first and are left out of every count; the timeline has a row for each measured
     * pod and only those, each answered and seen RUNNING.
     */
    @Test
    void warmUpPodsAreNotCountedAndTheTimelineHasEveryMeasuredPod(@TempDir Path work) throws Exception {
        Path timeline = work.resolve("timeline.csv");
        ClusterResult result = ClusterBench.run(ClusterSettings.small(100, 1_000, work).withWarmup(600, timeline));

        assertThat(result.warmupPods()).as("warm-up pods run").isEqualTo(600);
        assertThat(result.jitSettleSeconds()).as("wait for the JIT compilers, capped by the settings").isBetween(0.0, 12.0);
        assertThat(result.lost()).as("lost pods").isZero();
        assertThat(result.duplicated()).as("duplicated pods").isZero();
        assertThat(result.stuck()).as("stuck pods").isZero();
        List<String> lines = Files.readAllLines(timeline);
        assertThat(lines.get(0)).startsWith("# start_epoch_ms=");
        assertThat(lines.get(1)).isEqualTo("pod,due_ms,acknowledged_after_ms,running_after_ms");
        List<String[]> rows = lines.subList(2, lines.size()).stream().map(line -> line.split(",", -1)).toList();
        assertThat(rows).hasSize(1_000);
        assertThat(rows).allSatisfy(row -> {
            assertThat(Double.parseDouble(row[2])).as("acknowledged after due, pod %s", row[0]).isNotNegative();
            assertThat(Double.parseDouble(row[3])).as("RUNNING after due, pod %s", row[0]).isNotNegative();
        });
    }

    /**
     * A trace replayed on GPU hosts: pods arrive at their compressed times, most need whole GPUs or
     * a share of one, and each ends after its compressed lifetime; every one runs exactly once.
     */
    @Test
    void aReplayedTraceRunsEveryPodOnceOnGpuHosts(@TempDir Path work) throws Exception {
        Path nodes = work.resolve("nodes.csv");
        StringBuilder nodeRows = new StringBuilder("sn,cpu_milli,memory_mib,gpu,model\n");
        for (int i = 0; i < 10; i++) {
            nodeRows.append("node-").append(i).append(",64000,262144,").append(8).append(',').append(i % 2 == 0 ? "V100M32" : "T4").append('\n');
        }
        Files.writeString(nodes, nodeRows);
        Path pods = work.resolve("pods.csv");
        StringBuilder podRows = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time\n");
        for (int i = 0; i < 300; i++) {
            String gpus = switch (i % 3) {
                case 0 -> "1,1000";
                case 1 -> "1,250";
                default -> "0,0";
            };
            podRows.append("pod-").append(i).append(",2000,4096,").append(gpus).append(",,LS,Running,")
                    .append(i * 10).append(',').append(i * 10 + 20 + i % 50 * 100).append('\n');
        }
        Files.writeString(pods, podRows);

        ClusterResult result = ClusterBench.run(ClusterSettings.small(20, 300, work).withHosts(nodes)
                .withReplay(pods, Duration.ofSeconds(6)));

        assertThat(result.pods()).as("pods replayed").isEqualTo(300);
        assertThat(result.traceSecondsPerSecond()).as("2,990 trace seconds into 6").isBetween(490.0, 500.0);
        assertThat(result.lost()).as("lost pods").isZero();
        assertThat(result.duplicated()).as("duplicated pods").isZero();
        assertThat(result.stuck()).as("stuck pods").isZero();
        System.out.print(ClusterTable.render(result));
    }

    /**
     * Pods are stored already placed when they fit at once, and a batch's pods may be stored when the
     * leader dies before it answers: the retried batch, with the same request ids, must still lose
     * and double nothing.
     */
    @Test
    void aLeaderKilledMidwayLosesAndDoublesNothing(@TempDir Path work) throws Exception {
        ClusterResult result = ClusterBench.run(ClusterSettings.small(100, 2_000, work).withSchedulers(2, 50));

        assertThat(result.leaderKilled()).as("leader killed").isTrue();
        assertThat(result.lost()).as("lost pods").isZero();
        assertThat(result.duplicated()).as("duplicated pods").isZero();
        assertThat(result.stuck()).as("stuck pods").isZero();
        System.out.print(ClusterTable.render(result));
    }
}
