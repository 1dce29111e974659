package io.farget.placement.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PlacedPod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostClassesTest {
    private static final long GI = 1L << 30;

    private static NodeView node(String id, Architecture arch, String zone, int gpus, List<PlacedPod> pods) {
        return new NodeView(id, arch, Map.of("zone", zone), Amounts.of(64_000, 256 * GI), gpus, "T4", Condition.READY, pods);
    }

    private static PlacedPod gpuPod(String id, int device) {
        return new PlacedPod(id, Amounts.of(1000, GI), GpuRequest.share(500), new int[] {device}, 0, Map.of());
    }

    @Test
    void hostsAlikeInWhatScorersSeeShareAClassWhateverTheirArchitectureOrLabels() {
        ClusterModel model = new ClusterModel(new ClusterSnapshot(List.of(
                node("a", Architecture.X86_64, "z0", 2, List.of()),
                node("b", Architecture.AARCH64, "z1", 2, List.of()),
                node("c", Architecture.X86_64, "z0", 4, List.of()),
                node("d", Architecture.X86_64, "z0", 2, List.of(gpuPod("p", 0))),
                node("e", Architecture.X86_64, "z0", 2, List.of(gpuPod("q", 1))))), 1);
        Host[] hosts = model.hostArray();

        HostClasses states = new HostClasses(hosts);

        assertThat(states.classes()).isEqualTo(4);
        assertThat(states.classOf(hosts[0])).isEqualTo(states.classOf(hosts[1]));
        assertThat(states.classOf(hosts[2])).isNotEqualTo(states.classOf(hosts[0]));
        // The same load on another device is another state: the device a share lands on matters.
        assertThat(states.classOf(hosts[3])).isNotEqualTo(states.classOf(hosts[4]));
    }

    @Test
    void aChangedHostMovesToTheClassOfItsNewStateAndTheOthersStay() {
        ClusterModel model = new ClusterModel(new ClusterSnapshot(List.of(node("a", Architecture.X86_64, "z0", 2, List.of()),
                node("b", Architecture.X86_64, "z0", 2, List.of()), node("c", Architecture.X86_64, "z0", 2, List.of()))), 1);
        Host[] hosts = model.hostArray();
        HostClasses states = new HostClasses(hosts);
        model.listen(states::changed);

        model.add("a", gpuPod("p", 0));
        assertThat(states.classOf(hosts[0])).isNotEqualTo(states.classOf(hosts[1]));
        assertThat(states.classOf(hosts[1])).isEqualTo(states.classOf(hosts[2]));

        model.add("b", gpuPod("q", 0)); // now in the state of a
        assertThat(states.classOf(hosts[1])).isEqualTo(states.classOf(hosts[0]));

        model.remove("p");
        model.remove("q"); // all three alike again, in a class number reused, not a new one
        assertThat(states.classOf(hosts[0])).isEqualTo(states.classOf(hosts[2])).isEqualTo(states.classOf(hosts[1]));
        assertThat(states.classes()).isLessThanOrEqualTo(2);
    }
}
