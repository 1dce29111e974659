package io.farget.placement.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A pass's fragmentation scorer serves the next pass exactly while the profile it scores by stands still. */
class FragmentationScorerPassesTest {
    private static final long GI = 1L << 30;

    private final ClusterModel model = new ClusterModel(new ClusterSnapshot(List.of(
            new NodeView("n0", Architecture.X86_64, Map.of(), Amounts.of(64_000, 256 * GI), 4, "T4", Condition.READY, List.of()))), 1);

    private static PendingPod gpuPod(String id, int milli) {
        return PendingPod.simple(id, 1000, GI, Architecture.X86_64).withGpu(GpuRequest.share(milli), Set.of());
    }

    @Test
    void aLearnedProfileScorerServesAgainUntilThePodsItLearnsFromChange() {
        Scorer learning = new FragmentationScorer(null);
        List<PendingPod> batch = List.of(gpuPod("a", 500));

        Scorer first = learning.nextPass(model, batch, null);
        assertThat(learning.nextPass(model, List.of(gpuPod("b", 500)), first)).isSameAs(first); // the same profile

        model.add("n0", new PlacedPod("x", Amounts.of(1000, GI), GpuRequest.share(300), new int[] {0}, 0, Map.of()));
        Scorer afterPlacing = learning.nextPass(model, batch, first);
        assertThat(afterPlacing).isNotSameAs(first);
        assertThat(learning.nextPass(model, batch, afterPlacing)).isSameAs(afterPlacing);

        assertThat(learning.nextPass(model, List.of(gpuPod("c", 700)), afterPlacing)).isNotSameAs(afterPlacing);
    }

    @Test
    void aFixedProfileScorerServesEveryPassOfItsModelButNoOtherModel() {
        Scorer fixed = new FragmentationScorer(WorkloadProfile.of(List.of(gpuPod("a", 500))));
        Scorer first = fixed.nextPass(model, List.of(), null);
        model.add("n0", new PlacedPod("x", Amounts.of(1000, GI), GpuRequest.share(300), new int[] {0}, 0, Map.of()));

        assertThat(fixed.nextPass(model, List.of(gpuPod("b", 200)), first)).isSameAs(first);
        ClusterModel other = new ClusterModel(model.snapshot(), 1);
        assertThat(fixed.nextPass(other, List.of(), first)).isNotSameAs(first);
    }
}
