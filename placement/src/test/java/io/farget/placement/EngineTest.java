package io.farget.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.Eviction;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.HostScore;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Plan;
import io.farget.placement.model.Rejection;
import io.farget.placement.model.Spread;
import io.farget.placement.scoring.Strategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineTest {
    private static final long GI = 1L << 30;
    private final PlacementEngine engine = Strategies.defaultEngine();

    private static NodeView node(String id, Architecture arch, long cpu, long mem, PlacedPod... pods) {
        return NodeView.simple(id, arch, cpu, mem, Condition.READY, List.of(pods));
    }

    private static NodeView gpuNode(String id, int gpus, String model, PlacedPod... pods) {
        return new NodeView(id, Architecture.X86_64, Map.of(), Amounts.of(64_000, 256 * GI), gpus, model, Condition.READY, List.of(pods));
    }

    private static PendingPod pod(String id, long cpu, long mem) {
        return PendingPod.simple(id, cpu, mem, Architecture.ANY);
    }

    @Test
    void packsOntoTheFullestNodeThatFits() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("empty", Architecture.X86_64, 4000, 8 * GI),
                node("busy", Architecture.X86_64, 4000, 8 * GI, PlacedPod.simple("old", 3000, 6 * GI))));

        assertThat(engine.place(snapshot, List.of(pod("p", 500, GI))).assignments()).containsExactly(new Assignment("p", "busy"));
    }

    /**
     * Packing alone puts pods of any architecture on the smaller (fuller-looking) aarch64 host first
     * and leaves no room for the pods that can run only there, while the x86_64 host is half empty.
     */
    @Test
    void podsOfAnyArchitectureLeaveEachArchitectureItsShareOfRoom() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("x86", Architecture.X86_64, 8000, 16 * GI),
                node("arm", Architecture.AARCH64, 4000, 16 * GI)));
        List<PendingPod> pods = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pods.add(pod("any-" + i, 1000, GI));
        }
        pods.add(PendingPod.simple("arm-0", 1000, GI, Architecture.AARCH64));
        pods.add(PendingPod.simple("arm-1", 1000, GI, Architecture.AARCH64));

        Plan plan = engine.place(snapshot, pods);

        assertThat(plan.unplaced()).as("nothing stranded").isEmpty();
        assertThat(plan.assignments()).filteredOn(a -> a.podId().startsWith("arm-"))
                .extracting(Assignment::nodeId).containsOnly("arm");
    }

    @Test
    void theDryRunRanksFirstTheHostPlacementChooses() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("x86", Architecture.X86_64, 8000, 16 * GI, PlacedPod.simple("old", 1000, GI)),
                node("arm", Architecture.AARCH64, 4000, 16 * GI, PlacedPod.simple("older", 2000, GI))));
        PendingPod anywhere = pod("p", 1000, GI);

        String placedOn = engine.place(snapshot, List.of(anywhere)).assignments().get(0).nodeId();

        assertThat(placedOn).as("the emptier architecture").isEqualTo("x86");
        assertThat(engine.rank(snapshot, anywhere, 2)).extracting(HostScore::nodeId).containsExactly("x86", "arm");
    }

    @Test
    void explainsEveryCauseAndSaysWhenWaitingCannotHelp() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("small", Architecture.X86_64, 1000, GI),
                node("arm", Architecture.AARCH64, 64_000, 64 * GI),
                NodeView.simple("off", Architecture.X86_64, 64_000, 64 * GI, Condition.CORDONED, List.of())));

        Plan plan = engine.place(snapshot, List.of(PendingPod.simple("big", 8000, 2 * GI, Architecture.X86_64)));

        assertThat(plan.unplaced().get("big").rejectedFor(Rejection.INSUFFICIENT_CPU)).isEqualTo(1);
        assertThat(plan.unplaced().get("big").rejectedFor(Rejection.WRONG_ARCHITECTURE)).isEqualTo(1);
        assertThat(plan.unplaced().get("big").rejectedFor(Rejection.CORDONED)).isEqualTo(1);
        assertThat(plan.unplaced().get("big").unresolvable()).isFalse(); // the cordoned node could take it one day
        assertThat(plan.unplaced().get("big").message()).startsWith("0/3 nodes available");

        Plan hopeless = engine.place(snapshot, List.of(pod("huge", 128_000, GI)));
        assertThat(hopeless.unplaced().get("huge").unresolvable()).isTrue();
        assertThat(hopeless.unplaced().get("huge").message()).startsWith("no node could ever fit it");
    }

    @Test
    void aFractionalGpuMustFitOnOneDevice() {
        PlacedPod holder = new PlacedPod("h", Amounts.of(1000, GI), GpuRequest.share(600), new int[] {0}, 0, Map.of());
        PlacedPod holder2 = new PlacedPod("h2", Amounts.of(1000, GI), GpuRequest.share(600), new int[] {1}, 0, Map.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(gpuNode("g", 2, "T4", holder, holder2)));

        Plan plan = engine.place(snapshot, List.of(pod("half", 100, GI).withGpu(GpuRequest.share(500), Set.of()),
                pod("third", 100, GI).withGpu(GpuRequest.share(300), Set.of())));

        assertThat(plan.unplaced()).containsOnlyKeys("half"); // 800 milli free in total, but 400 per device
        assertThat(plan.assignments()).hasSize(1);
        assertThat(plan.unplaced().get("half").rejectedFor(Rejection.INSUFFICIENT_GPU)).isEqualTo(1);
    }

    @Test
    void respectsGpuModelsLabelsSpreadAndAntiAffinity() {
        NodeView a = new NodeView("a", Architecture.X86_64, Map.of("zone", "a"), Amounts.of(64_000, 256 * GI), 8, "V100", Condition.READY, List.of());
        NodeView b = new NodeView("b", Architecture.X86_64, Map.of("zone", "b"), Amounts.of(64_000, 256 * GI), 8, "T4", Condition.READY, List.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(a, b));

        Plan models = engine.place(snapshot, List.of(pod("g", 100, GI).withGpu(GpuRequest.whole(2), Set.of("T4"))));
        assertThat(models.assignments()).extracting(Assignment::nodeId).containsExactly("b");

        Plan labels = engine.place(snapshot, List.of(pod("l", 100, GI).withSelectors(List.of(LabelSelector.notIn("zone", "b")))));
        assertThat(labels.assignments()).extracting(Assignment::nodeId).containsExactly("a");

        List<PendingPod> replicas = List.of(1, 2, 3).stream().map(i -> pod("r" + i, 100, GI)
                .withLabels(Map.of("app", "web")).withSpread(new Spread("app", 1))).toList();
        Plan spread = engine.place(snapshot, replicas);
        assertThat(spread.assignments()).extracting(Assignment::nodeId).containsExactlyInAnyOrder("a", "b");
        assertThat(spread.unplaced().values()).allMatch(e -> e.rejectedFor(Rejection.SPREAD) == 2);

        ClusterSnapshot withDb = new ClusterSnapshot(List.of(
                node("x", Architecture.X86_64, 4000, 8 * GI, new PlacedPod("db", Amounts.of(3000, GI), GpuRequest.NONE, new int[0], 0, Map.of("app", "db"))),
                node("y", Architecture.X86_64, 4000, 8 * GI)));
        Plan anti = engine.place(withDb, List.of(pod("w", 100, GI).withAntiAffinity(List.of(LabelSelector.in("app", "db")))));
        assertThat(anti.assignments()).extracting(Assignment::nodeId).containsExactly("y");
    }

    @Test
    void preemptsTheFewestLowestPodsAndNeverInVain() {
        PlacedPod low1 = new PlacedPod("low1", Amounts.of(2000, GI), GpuRequest.NONE, new int[0], 1, Map.of());
        PlacedPod low2 = new PlacedPod("low2", Amounts.of(1000, GI), GpuRequest.NONE, new int[0], 2, Map.of());
        PlacedPod high = new PlacedPod("high", Amounts.of(1000, GI), GpuRequest.NONE, new int[0], 9, Map.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(node("n", Architecture.X86_64, 4000, 8 * GI, low1, low2, high)));

        Plan plan = engine.place(snapshot, List.of(pod("urgent", 2000, GI).withPriority(5)));
        assertThat(plan.evictions()).containsExactly(new Eviction("low1", "n", "urgent"));
        assertThat(plan.assignments()).extracting(Assignment::nodeId).containsExactly("n");

        Plan vain = engine.place(snapshot, List.of(pod("toobig", 3500, GI).withPriority(5)));
        assertThat(vain.evictions()).isEmpty();
        assertThat(vain.unplaced()).containsKey("toobig");
    }

    @Test
    void placesHigherPriorityFirstAndIsReproducible() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(node("n1", Architecture.X86_64, 1000, GI), node("n2", Architecture.X86_64, 1000, GI)));
        List<PendingPod> pods = List.of(pod("a", 1000, GI / 2), pod("b", 1000, GI / 2), pod("vip", 1000, GI / 2).withPriority(3));

        Plan plan = engine.place(snapshot, pods);

        assertThat(plan.unplaced()).containsOnlyKeys("b");
        assertThat(engine.place(snapshot, pods)).isEqualTo(plan);
    }

    @Test
    void ranksHostsWithEachScorersPart() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(node("empty", Architecture.X86_64, 4000, 8 * GI),
                node("busy", Architecture.X86_64, 4000, 8 * GI, PlacedPod.simple("old", 3000, 6 * GI))));

        List<HostScore> ranked = engine.rank(snapshot, pod("p", 500, GI), 5);

        assertThat(ranked).extracting(HostScore::nodeId).containsExactly("busy", "empty");
        assertThat(ranked.get(0).byScorer()).containsKeys("fragmentation", "most-allocated");
    }

    @Test
    void keepsCpuPodsOffGpuHostsWhileCpuHostsHaveRoom() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(gpuNode("gpu", 8, "T4"),
                node("cpu", Architecture.X86_64, 64_000, 256 * GI)));

        Plan plan = engine.place(snapshot, List.of(pod("web", 8000, 16 * GI)));

        assertThat(plan.assignments()).extracting(Assignment::nodeId).containsExactly("cpu"); // the GPU host's CPU stays for GPU pods
    }

    @Test
    void everyStrategyPlacesWhatFits() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(gpuNode("g1", 8, "A"), gpuNode("g2", 2, "B")));
        for (String name : Strategies.names()) {
            ScoringEngine e = new ScoringEngine(Strategies.config(name, 7, null, 0, false));
            Plan plan = e.place(snapshot, List.of(pod("y", 1000, GI).withGpu(GpuRequest.whole(8), Set.of()),
                    pod("x", 1000, GI).withGpu(GpuRequest.share(250), Set.of())));
            assertThat(plan.assignments()).as(name).hasSize(2);
        }
    }
}
