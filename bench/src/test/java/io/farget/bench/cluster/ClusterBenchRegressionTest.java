package io.farget.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
