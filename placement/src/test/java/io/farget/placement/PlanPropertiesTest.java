package io.farget.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.Eviction;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Plan;
import io.farget.placement.model.Spread;
import io.farget.placement.scoring.Strategies;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Over random clusters and pods: plans never overcommit, never break a rule, and undo exactly. */
class PlanPropertiesTest {
    private static final long MI = 1L << 20;
    private static final List<String> MODELS = List.of("T4", "V100", "A100");

    record Case(ClusterSnapshot snapshot, List<PendingPod> pods, String strategy, int candidates) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<NodeView>> nodes = node().list().ofMinSize(0).ofMaxSize(12).map(Numbered::nodes);
        Arbitrary<List<PendingPod>> pods = pod().list().ofMaxSize(40).map(Numbered::pods);
        return Combinators.combine(nodes, pods, Arbitraries.of(Strategies.names()), Arbitraries.of(0, 1, 3))
                .as((n, p, s, c) -> prefill(n, p, s, c));
    }

    /** Half the pods are placed first (with random priorities), so plans start from busy nodes. */
    static Case prefill(List<NodeView> nodes, List<PendingPod> pods, String strategy, int candidates) {
        ClusterSnapshot empty = new ClusterSnapshot(nodes);
        List<PendingPod> first = pods.subList(0, pods.size() / 2);
        ClusterModel model = new ClusterModel(empty, 1);
        new ScoringEngine(Strategies.config(strategy, 1, null, candidates, false)).place(model, first, null);
        return new Case(model.snapshot(), pods.subList(pods.size() / 2, pods.size()), strategy, candidates);
    }

    private Arbitrary<NodeView> node() {
        return Combinators.combine(Arbitraries.of(Architecture.X86_64, Architecture.AARCH64),
                        Arbitraries.longs().between(500, 16_000), Arbitraries.longs().between(256, 32_768),
                        Arbitraries.integers().between(0, 4), Arbitraries.of(MODELS),
                        Arbitraries.of(Condition.values()), Arbitraries.of("a", "b"), Arbitraries.longs().between(0, 3))
                .as((arch, cpu, mem, gpus, model, condition, zone, fpga) -> new NodeView("n", arch, Map.of("zone", zone),
                        new Amounts(cpu, mem * MI, mem * MI, fpga == 0 ? Map.of() : Map.of("fpga", fpga)),
                        gpus, gpus == 0 ? "" : model, condition, List.of()));
    }

    private Arbitrary<PendingPod> pod() {
        Arbitrary<GpuRequest> gpu = Arbitraries.oneOf(Arbitraries.just(GpuRequest.NONE),
                Arbitraries.integers().between(1, 1000).map(GpuRequest::share),
                Arbitraries.integers().between(1, 3).map(GpuRequest::whole));
        Arbitrary<List<LabelSelector>> selectors = Arbitraries.of(List.of(), List.of(LabelSelector.in("zone", "a")),
                List.of(LabelSelector.notIn("zone", "a")), List.of(LabelSelector.exists("zone")));
        return Combinators.combine(Arbitraries.longs().between(1, 8000), Arbitraries.longs().between(1, 16_384), gpu,
                        Arbitraries.of(Architecture.values()), Arbitraries.integers().between(0, 3), selectors,
                        Arbitraries.of(Set.<String>of(), Set.of("T4"), Set.of("V100", "A100")),
                        Arbitraries.of("web", "db", "batch"))
                .as((cpu, mem, g, arch, priority, sel, models, app) -> new PendingPod("p",
                        new Amounts(cpu, mem * MI, mem * MI / 2, app.equals("batch") ? Map.of("fpga", 1L) : Map.of()), g, arch,
                        priority, Map.of("app", app), sel, models, app.equals("web") ? new Spread("app", 2) : null,
                        app.equals("db") ? List.of(LabelSelector.in("app", "db")) : List.of()));
    }

    @Property(tries = 300)
    void plansNeverOvercommitNorBreakARule(@ForAll("cases") Case c) {
        ScoringEngine engine = new ScoringEngine(Strategies.config(c.strategy(), 3, null, c.candidates(), true));
        Plan plan = engine.place(c.snapshot(), c.pods());

        ClusterModel after = new ClusterModel(c.snapshot(), 0);
        for (Eviction e : plan.evictions()) {
            assertThat(after.remove(e.victimPodId())).isPresent();
        }
        Map<String, PendingPod> byId = new HashMap<>();
        c.pods().forEach(p -> byId.put(p.id(), p));
        for (Assignment a : plan.assignments()) {
            PendingPod pod = byId.get(a.podId());
            NodeView node = after.host(a.nodeId()).orElseThrow().view();
            assertThat(node.condition()).isEqualTo(Condition.READY);
            assertThat(pod.arch().runsOn(node.arch())).isTrue();
            assertThat(pod.selectors()).allMatch(s -> s.matches(node.labels()));
            if (!pod.gpu().none() && !pod.gpuModels().isEmpty()) {
                assertThat(pod.gpuModels()).contains(node.gpuModel());
            }
            if (pod.spread() != null) {
                long same = node.pods().stream().filter(p -> "web".equals(p.labels().get("app"))).count();
                assertThat(same).isLessThan(pod.spread().maxPerHost());
            }
            if (!pod.antiAffinity().isEmpty()) {
                assertThat(node.pods()).noneMatch(p -> "db".equals(p.labels().get("app")));
            }
            after.add(a.nodeId(), new PlacedPod(pod.id(), pod.amounts(), pod.gpu(), a.gpuDevices(), pod.priority(), pod.labels()));
        }
        for (NodeView node : after.snapshot().nodes()) {
            assertWithinCapacity(node);
        }
        Set<String> decided = new HashSet<>(plan.unplaced().keySet());
        plan.assignments().forEach(a -> decided.add(a.podId()));
        assertThat(decided).hasSize(c.pods().size());
    }

    @Property(tries = 200)
    void applyingAPlanAndRemovingItsPodsRestoresTheSnapshot(@ForAll("cases") Case c) {
        Plan plan = new ScoringEngine(Strategies.config(c.strategy(), 5, null, c.candidates(), false)).place(c.snapshot(), c.pods());
        ClusterModel model = new ClusterModel(c.snapshot(), 0);
        Map<String, PendingPod> byId = new HashMap<>();
        c.pods().forEach(p -> byId.put(p.id(), p));
        for (Assignment a : plan.assignments()) {
            PendingPod pod = byId.get(a.podId());
            model.add(a.nodeId(), new PlacedPod(pod.id(), pod.amounts(), pod.gpu(), a.gpuDevices(), pod.priority(), pod.labels()));
        }
        for (Assignment a : plan.assignments()) {
            assertThat(model.remove(a.podId())).isPresent();
        }
        assertThat(model.snapshot()).isEqualTo(c.snapshot());
        for (int i = 0; i < model.size(); i++) {
            var host = model.hosts().get(i);
            var node = c.snapshot().nodes().get(i);
            long used = node.pods().stream().mapToLong(p -> p.amounts().cpuMillis()).sum();
            assertThat(host.freeCpuMillis()).isEqualTo(node.capacity().cpuMillis() - used);
        }
    }

    private static void assertWithinCapacity(NodeView node) {
        long cpu = 0;
        long mem = 0;
        long disk = 0;
        long fpga = 0;
        int[] gpu = new int[node.gpuCount()];
        for (PlacedPod p : node.pods()) {
            cpu += p.amounts().cpuMillis();
            mem += p.amounts().memoryBytes();
            disk += p.amounts().diskBytes();
            fpga += p.amounts().extended("fpga");
            for (int d : p.gpuDevices()) {
                gpu[d] += p.gpu().milliEach();
            }
        }
        assertThat(cpu).isLessThanOrEqualTo(node.capacity().cpuMillis());
        assertThat(mem).isLessThanOrEqualTo(node.capacity().memoryBytes());
        assertThat(disk).isLessThanOrEqualTo(node.capacity().diskBytes());
        assertThat(fpga).isLessThanOrEqualTo(node.capacity().extended("fpga"));
        for (int used : gpu) {
            assertThat(used).isLessThanOrEqualTo(1000);
        }
    }
}
