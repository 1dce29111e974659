package io.farget.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.scoring.Strategies;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' plumbing on tiny fixtures of our own (never the real traces). */
class PlacementBenchSmokeTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PlacementBenchSmokeTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void readsAPodFileWithoutTheTrailingColumns() throws Exception {
        List<TracePod> pods = TraceFiles.pods(fixture("pods.csv"));
        assertThat(pods).hasSize(7);
        assertThat(pods.get(1).gpuRequestMilli()).isEqualTo(500);
        assertThat(pods.get(0).gpuSpec()).isEmpty();
    }

    @Test
    void runsTheExperimentForEveryStrategyReproducibly() throws Exception {
        FragmentationExperiment experiment = new FragmentationExperiment(TraceFiles.nodes(fixture("nodes.csv")),
                TraceFiles.pods(fixture("pods.csv")));
        for (String strategy : Strategies.names()) {
            FragmentationExperiment.Result r = experiment.run(strategy, 1, 0);
            assertThat(r.unallocatedGpuPct100()).as(strategy).isBetween(0.0, 100.0);
            assertThat(r.unallocatedGpuPct130()).as(strategy).isBetween(0.0, r.unallocatedGpuPct100() + 1e-9);
            assertThat(r.cpuAllocatedPct()).isBetween(0.0, 100.0);
            assertThat(experiment.run(strategy, 1, 0).unallocatedGpuPct100()).isEqualTo(r.unallocatedGpuPct100());
        }
    }

    @Test
    void throughputWorkloadMixesArchitecturesAndConstraints() throws Exception {
        ThroughputWorkload w = ThroughputWorkload.of(TraceFiles.nodes(fixture("nodes.csv")), TraceFiles.pods(fixture("pods.csv")), 20, 50);
        assertThat(w.nodes()).hasSize(20);
        assertThat(w.pods()).hasSize(50).anyMatch(p -> !p.selectors().isEmpty());
        assertThat(Strategies.defaultEngine().place(w.snapshot(), w.pods()).assignments()).isNotEmpty();
        assertThat(FenzoBaseline.run(w, 10)[0]).isPositive();
    }
}
