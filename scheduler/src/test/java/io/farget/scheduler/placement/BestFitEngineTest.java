package io.farget.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BestFitEngineTest {
    private static final long GI = 1L << 30;
    private final PlacementEngine engine = new BestFitEngine();

    private static NodeView node(String id, Architecture arch, long cpu, long mem, long usedCpu, long usedMem) {
        return new NodeView(id, arch, cpu, mem, usedCpu, usedMem, true);
    }

    private static PendingPod pod(String id, long cpu, long mem, Architecture arch) {
        return new PendingPod(id, cpu, mem, arch);
    }

    @Test
    void placesAPodThatFits() {
        Plan plan = engine.place(new ClusterSnapshot(List.of(node("n1", Architecture.X86_64, 2000, 4 * GI, 0, 0))),
                List.of(pod("p1", 500, GI, Architecture.ANY)));

        assertThat(plan.assignments()).containsExactly(new Assignment("p1", "n1"));
        assertThat(plan.unplaced()).isEmpty();
    }

    @Test
    void choosesTheNodeThePodLeavesFullest() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("empty", Architecture.X86_64, 4000, 8 * GI, 0, 0),
                node("busy", Architecture.X86_64, 4000, 8 * GI, 3000, 6 * GI),
                node("half", Architecture.X86_64, 4000, 8 * GI, 2000, 4 * GI)));

        Plan plan = engine.place(snapshot, List.of(pod("p", 500, GI, Architecture.ANY)));

        assertThat(plan.assignments()).containsExactly(new Assignment("p", "busy"));
    }

    @Test
    void breaksTiesByNodeId() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("n2", Architecture.X86_64, 1000, GI, 0, 0),
                node("n1", Architecture.X86_64, 1000, GI, 0, 0)));

        assertThat(engine.place(snapshot, List.of(pod("p", 100, GI / 4, Architecture.ANY))).assignments())
                .containsExactly(new Assignment("p", "n1"));
    }

    @Test
    void respectsTheArchitecture() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("a", Architecture.X86_64, 4000, 8 * GI, 3000, 0),
                node("b", Architecture.AARCH64, 4000, 8 * GI, 0, 0)));

        Plan plan = engine.place(snapshot, List.of(pod("arm", 500, GI, Architecture.AARCH64)));

        assertThat(plan.assignments()).containsExactly(new Assignment("arm", "b"));
    }

    @Test
    void updatesItsWorkingCopyAsItPlacesABatch() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("n1", Architecture.X86_64, 1000, 2 * GI, 0, 0),
                node("n2", Architecture.X86_64, 1000, 2 * GI, 0, 0)));

        Plan plan = engine.place(snapshot, List.of(
                pod("p1", 600, GI, Architecture.ANY),
                pod("p2", 600, GI, Architecture.ANY),
                pod("p3", 600, GI, Architecture.ANY)));

        assertThat(plan.assignments()).containsExactly(new Assignment("p1", "n1"), new Assignment("p2", "n2"));
        assertThat(plan.unplaced().get("p3").message()).isEqualTo("0/2 nodes available: 2 insufficient cpu");
        assertThat(plan.unplaced().get("p3").unresolvable()).isFalse();
    }

    @Test
    void explainsAnUnplacedPodWithCountsPerCause() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("a", Architecture.X86_64, 4000, 2 * GI, 0, GI + GI / 2),
                node("b", Architecture.X86_64, 4000, 2 * GI, 0, GI + GI / 2),
                node("c", Architecture.AARCH64, 4000, 8 * GI, 0, 0)));

        Explanation why = engine.place(snapshot, List.of(pod("p", 500, GI, Architecture.X86_64))).unplaced().get("p");

        assertThat(why.rejectedFor(Rejection.INSUFFICIENT_MEMORY)).isEqualTo(2);
        assertThat(why.rejectedFor(Rejection.WRONG_ARCHITECTURE)).isEqualTo(1);
        assertThat(why.unresolvable()).isFalse();
        assertThat(why.message()).isEqualTo("0/3 nodes available: 2 insufficient memory, 1 wrong architecture");
    }

    @Test
    void countsNodesThatAreNotReady() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                new NodeView("a", Architecture.X86_64, 4000, 8 * GI, 0, 0, false)));

        Explanation why = engine.place(snapshot, List.of(pod("p", 500, GI, Architecture.ANY))).unplaced().get("p");

        assertThat(why.message()).isEqualTo("0/1 nodes available: 1 node not ready");
        assertThat(why.unresolvable()).isFalse();
    }

    @Test
    void aPodBiggerThanEveryNodeIsUnresolvable() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(
                node("a", Architecture.X86_64, 2000, 4 * GI, 0, 0),
                node("b", Architecture.X86_64, 4000, 2 * GI, 0, 0)));

        Explanation why = engine.place(snapshot, List.of(pod("huge", 3000, 3 * GI, Architecture.ANY))).unplaced().get("huge");

        assertThat(why.unresolvable()).isTrue();
        assertThat(why.message()).startsWith("no node could ever fit it: 0/2 nodes available: ");
        assertThat(why.rejectedFor(Rejection.INSUFFICIENT_CPU)).isEqualTo(1);
        assertThat(why.rejectedFor(Rejection.INSUFFICIENT_MEMORY)).isEqualTo(1);
    }

    @Test
    void aPodWhoseArchitectureNoNodeHasIsUnresolvable() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(node("a", Architecture.X86_64, 4000, 8 * GI, 0, 0)));

        Explanation why = engine.place(snapshot, List.of(pod("arm", 100, GI, Architecture.AARCH64))).unplaced().get("arm");

        assertThat(why.unresolvable()).isTrue();
        assertThat(why.message()).isEqualTo("no node could ever fit it: 0/1 nodes available: 1 wrong architecture");
    }

    @Test
    void aFullNodeIsNotUnresolvable() {
        ClusterSnapshot snapshot = new ClusterSnapshot(List.of(node("a", Architecture.X86_64, 1000, GI, 900, 0)));

        Explanation why = engine.place(snapshot, List.of(pod("p", 500, GI / 2, Architecture.ANY))).unplaced().get("p");

        assertThat(why.unresolvable()).isFalse();
    }

    @Test
    void withNoNodesAtAllWaitingMayHelp() {
        Explanation why = engine.place(new ClusterSnapshot(List.of()), List.of(pod("p", 500, GI, Architecture.ANY))).unplaced().get("p");

        assertThat(why.message()).isEqualTo("0/0 nodes available");
        assertThat(why.unresolvable()).isFalse();
    }
}
