package io.farget.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.EngineConfig;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.engine.Weighted;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Plan;
import io.farget.placement.scoring.Strategies;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The score boards (per pod shape, updated as hosts change) must pick exactly the host that scoring
 * every feasible host picks: same plan, evictions and explanations, for every strategy whose scorers
 * depend on host state only. The brute-force side hides that property behind a wrapper.
 */
class ExactSearchPropertiesTest {
    private static final long GI = 1L << 30;
    private final PlanPropertiesTest cases = new PlanPropertiesTest();

    @Provide
    Arbitrary<PlanPropertiesTest.Case> cases() {
        return cases.cases();
    }

    @Property(tries = 300)
    void boardsChooseWhatScoringEveryHostChooses(@ForAll("cases") PlanPropertiesTest.Case c) {
        EngineConfig exact = Strategies.config(c.strategy(), 11, null, 0, true);
        EngineConfig everyHost = new EngineConfig(exact.name(),
                exact.scorers().stream().map(w -> new Weighted(new ScanEveryHost(w.scorer()), w.weight())).toList(),
                exact.seed(), 0, true);

        Plan viaBoards = new ScoringEngine(exact).place(c.snapshot(), c.pods());
        Plan viaScan = new ScoringEngine(everyHost).place(c.snapshot(), c.pods());

        assertThat(viaBoards).isEqualTo(viaScan);
    }

    /**
     * Bigger clusters (deep heaps) of a few host kinds, a long batch of GPU and CPU pods at mixed
     * priorities: boards are refreshed after placements and after evictions, and still agree.
     */
    @Property(tries = 40)
    void boardsAgreeOnBusyClusters(@ForAll("busy") PlanPropertiesTest.Case c) {
        boardsChooseWhatScoringEveryHostChooses(c);
    }

    @Provide
    Arbitrary<PlanPropertiesTest.Case> busy() {
        Arbitrary<NodeView> kinds = Arbitraries.of(
                new NodeView("k", Architecture.X86_64, Map.of("zone", "a"), Amounts.of(96_000, 384 * GI), 8, "G2", Condition.READY, List.of()),
                new NodeView("k", Architecture.X86_64, Map.of("zone", "b"), Amounts.of(104_000, 512 * GI), 2, "T4", Condition.READY, List.of()),
                new NodeView("k", Architecture.AARCH64, Map.of("zone", "a"), Amounts.of(64_000, 256 * GI), 0, "", Condition.READY, List.of()));
        Arbitrary<List<NodeView>> nodes = kinds.list().ofMinSize(20).ofMaxSize(80).map(Numbered::nodes);
        Arbitrary<GpuRequest> gpu = Arbitraries.oneOf(Arbitraries.just(GpuRequest.NONE),
                Arbitraries.of(250, 300, 500, 700, 1000).map(GpuRequest::share), Arbitraries.of(1, 2, 4, 8).map(GpuRequest::whole));
        Arbitrary<PendingPod> pod = Combinators.combine(Arbitraries.of(1000L, 4000L, 8000L, 16_000L), Arbitraries.of(2L, 8L, 32L), gpu,
                        Arbitraries.of(Architecture.values()), Arbitraries.integers().between(0, 2))
                .as((cpu, mem, g, arch, priority) -> new PendingPod("p", Amounts.of(cpu, mem * GI), g, arch, priority,
                        Map.of(), List.of(), Set.of(), null, List.of()));
        Arbitrary<List<PendingPod>> pods = pod.list().ofMinSize(50).ofMaxSize(300).map(Numbered::pods);
        return Combinators.combine(nodes, pods, Arbitraries.of("farget", "fgd", "best-fit", "balanced"))
                .as((n, p, s) -> PlanPropertiesTest.prefill(n, p, s, 0));
    }

    /** The same scores, but claiming to depend on more than host state: the engine must scan. */
    private record ScanEveryHost(Scorer inner) implements Scorer {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public double score(Host host, PendingPod pod, int[] devices) {
            return inner.score(host, pod, devices);
        }

        @Override
        public Scorer forPass(ClusterModel model, List<PendingPod> batch) {
            return new ScanEveryHost(inner.forPass(model, batch));
        }
    }
}
