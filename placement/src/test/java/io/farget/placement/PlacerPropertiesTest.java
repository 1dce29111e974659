package io.farget.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.EngineConfig;
import io.farget.placement.engine.Placer;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Plan;
import io.farget.placement.model.Spread;
import io.farget.placement.scoring.Strategies;
import io.farget.placement.scoring.WorkloadProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A placer kept across many passes (its boards, host classes and learned workload carried over, the
 * model changing between passes as a scheduler's does) decides exactly what a fresh pass over the
 * same model decides, pass after pass.
 */
class PlacerPropertiesTest {
    private static final long GI = 1L << 30;

    record Run(List<NodeView> nodes, List<PendingPod> pods, String strategy, boolean fixedProfile, long seed) {}

    @Property(tries = 60)
    void aPlacerKeptAcrossPassesDecidesWhatFreshPassesDecide(@ForAll("runs") Run run) {
        WorkloadProfile profile = run.fixedProfile() ? WorkloadProfile.of(run.pods().subList(0, run.pods().size() / 3)) : null;
        EngineConfig config = Strategies.config(run.strategy(), 7, profile, 0, true);
        ScoringEngine engine = new ScoringEngine(config);
        ClusterSnapshot empty = new ClusterSnapshot(run.nodes());
        ClusterModel kept = new ClusterModel(empty, config.seed());
        ClusterModel fresh = new ClusterModel(empty, config.seed());
        Map<String, PendingPod> byId = new HashMap<>();
        run.pods().forEach(p -> byId.put(p.id(), p));
        Random random = new Random(run.seed());

        try (Placer placer = engine.placer(kept)) {
            int next = 0;
            while (next < run.pods().size()) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
                List<PendingPod> batch = run.pods().subList(next, Math.min(run.pods().size(), next + size));
                next += batch.size();

                Plan viaPlacer = placer.place(batch, null);
                Plan viaFreshPass = engine.place(fresh, batch, null);

                assertThat(viaPlacer).isEqualTo(viaFreshPass);
                changeBetweenPasses(random, viaPlacer, byId, kept, fresh);
                assertThat(kept.snapshot()).isEqualTo(fresh.snapshot());
            }
        }
    }

    /**
     * What a scheduler does to its model between passes, to both models alike: takes back what it
     * planned and adds it again as it commits (the same pods, a host changing twice), and lets some
     * pods finish.
     */
    private static void changeBetweenPasses(Random random, Plan plan, Map<String, PendingPod> byId, ClusterModel... models) {
        if (random.nextBoolean()) {
            for (Assignment a : plan.assignments()) {
                PendingPod pod = byId.get(a.podId());
                PlacedPod placed = new PlacedPod(pod.id(), pod.amounts(), pod.gpu(), a.gpuDevices(), pod.priority(), pod.labels());
                for (ClusterModel model : models) {
                    model.remove(a.podId());
                    model.add(a.nodeId(), placed);
                }
            }
        }
        List<String> running = new ArrayList<>();
        models[0].snapshot().nodes().forEach(n -> n.pods().forEach(p -> running.add(p.id())));
        int finishing = running.isEmpty() ? 0 : random.nextInt(Math.min(6, running.size()) + 1);
        for (int i = 0; i < finishing; i++) {
            String gone = running.remove(random.nextInt(running.size()));
            for (ClusterModel model : models) {
                model.remove(gone);
            }
        }
    }

    @Provide
    Arbitrary<Run> runs() {
        Arbitrary<NodeView> kinds = Arbitraries.of(
                new NodeView("k", Architecture.X86_64, Map.of("zone", "a"), Amounts.of(32_000, 128 * GI), 8, "G2", Condition.READY, List.of()),
                new NodeView("k", Architecture.X86_64, Map.of("zone", "b"), Amounts.of(48_000, 256 * GI), 2, "T4", Condition.READY, List.of()),
                new NodeView("k", Architecture.X86_64, Map.of("zone", "b"), Amounts.of(48_000, 256 * GI), 2, "T4", Condition.CORDONED, List.of()),
                new NodeView("k", Architecture.AARCH64, Map.of("zone", "a"), Amounts.of(16_000, 64 * GI), 0, "", Condition.READY, List.of()));
        Arbitrary<List<NodeView>> nodes = kinds.list().ofMinSize(1).ofMaxSize(40).map(Numbered::nodes);
        Arbitrary<GpuRequest> gpu = Arbitraries.oneOf(Arbitraries.just(GpuRequest.NONE),
                Arbitraries.of(250, 300, 500, 700, 1000).map(GpuRequest::share), Arbitraries.of(1, 2, 4).map(GpuRequest::whole));
        Arbitrary<String> app = Arbitraries.of("plain", "plain", "plain", "web", "db", "zoned");
        Arbitrary<PendingPod> pod = Combinators.combine(Arbitraries.of(1000L, 4000L, 8000L), Arbitraries.of(2L, 8L, 32L), gpu,
                        Arbitraries.of(Architecture.values()), Arbitraries.integers().between(0, 2), app,
                        Arbitraries.of(Set.<String>of(), Set.of("T4")))
                .as((cpu, mem, g, arch, priority, kind, models) -> new PendingPod("p", Amounts.of(cpu, mem * GI), g, arch, priority,
                        Map.of("app", kind), kind.equals("zoned") ? List.of(LabelSelector.in("zone", "b")) : List.of(), models,
                        kind.equals("web") ? new Spread("app", 2) : null,
                        kind.equals("db") ? List.of(LabelSelector.in("app", "db")) : List.of()));
        Arbitrary<List<PendingPod>> pods = pod.list().ofMinSize(10).ofMaxSize(160).map(Numbered::pods);
        return Combinators.combine(nodes, pods, Arbitraries.of(Strategies.names()), Arbitraries.of(false, true), Arbitraries.longs())
                .as(Run::new);
    }
}
