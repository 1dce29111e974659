package io.farget.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Plan;
import io.farget.placement.scoring.Strategies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Only pods actually placed count as placements; the time of a pass is split, not double-counted. */
class DecisionClockTest {
    @Test
    void splitsAPassBetweenPlacementsAndNoFitDecisions() throws Exception {
        Path fixtures = Path.of(DecisionClockTest.class.getResource("/fixtures/nodes.csv").toURI()).getParent();
        // Few hosts, many pods: the cluster fills and most pods fit nowhere.
        ThroughputWorkload w = ThroughputWorkload.of(TraceFiles.nodes(fixtures.resolve("nodes.csv")),
                TraceFiles.pods(fixtures.resolve("pods.csv")), 3, 400);
        ScoringEngine engine = Strategies.defaultEngine();
        Plan expected = engine.place(w.snapshot(), w.pods());

        DecisionClock clock = new DecisionClock();
        engine.place(new ClusterModel(w.snapshot(), engine.config().seed()), w.pods(), clock);
        DecisionClock.PassTiming timing = clock.stop();

        assertThat(timing.placed()).isEqualTo(expected.assignments().size()).isPositive();
        assertThat(timing.noFit()).isEqualTo(expected.unplaced().size()).isPositive();
        assertThat(timing.placedNanos() + timing.noFitNanos()).isEqualTo(timing.totalNanos());
        assertThat(timing.untilLastPlacementNanos()).isBetween(timing.placedNanos(), timing.totalNanos());
        assertThat(timing.placementsPerSecond()).isEqualTo(timing.placed() / (timing.placedNanos() / 1e9));
        assertThat(timing.decisionsPerSecond()).isEqualTo(400 / (timing.totalNanos() / 1e9));
    }
}
