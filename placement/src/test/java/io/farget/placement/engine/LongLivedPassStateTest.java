package io.farget.placement.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.scoring.MostAllocatedScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a placer keeps between passes stays true and bounded however long the model lives. */
class LongLivedPassStateTest {
    private static final long GI = 1L << 30;

    private static ClusterModel model(int hosts) {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            nodes.add(new NodeView("n" + i, Architecture.X86_64, Map.of(), Amounts.of(64_000, 256 * GI), 2, "T4", Condition.READY, List.of()));
        }
        return new ClusterModel(new ClusterSnapshot(nodes), 1);
    }

    private static PlacedPod placed(String id, int priority) {
        return new PlacedPod(id, Amounts.of(1000, GI), GpuRequest.NONE, new int[0], priority, Map.of());
    }

    @Test
    void theLowestPlacedPriorityFollowsEveryAddAndRemove() {
        ClusterModel model = model(2);
        assertThat(model.lowestPriority()).isEqualTo(Integer.MAX_VALUE);

        model.add("n0", placed("a", 5));
        model.add("n1", placed("b", 2));
        model.add("n1", placed("c", 2));
        assertThat(model.lowestPriority()).isEqualTo(2);

        model.remove("b");
        assertThat(model.lowestPriority()).isEqualTo(2);
        model.remove("c");
        assertThat(model.lowestPriority()).isEqualTo(5);
        model.remove("a");
        assertThat(model.lowestPriority()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theGpuPodsVersionMovesOnlyWithPodsHoldingGpus() {
        ClusterModel model = model(1);
        long before = model.gpuPodsVersion();

        model.add("n0", placed("cpu", 0));
        assertThat(model.gpuPodsVersion()).isEqualTo(before);

        model.add("n0", new PlacedPod("gpu", Amounts.of(1000, GI), GpuRequest.share(500), new int[] {1}, 0, Map.of()));
        long added = model.gpuPodsVersion();
        assertThat(added).isNotEqualTo(before);
        model.remove("gpu");
        assertThat(model.gpuPodsVersion()).isNotEqualTo(added);
    }

    @Test
    void theChangeLogStaysBoundedAndTheBoardsStayTrue() {
        ClusterModel model = model(10);
        HostRater rater = new HostRater(List.of(new Weighted(new MostAllocatedScorer(), 1)));
        ScoreBoards boards = new ScoreBoards(model.hostArray(), rater);
        model.listen(boards);
        PendingPod small = PendingPod.simple("s", 1000, GI, Architecture.X86_64);
        PendingPod big = PendingPod.simple("b", 8000, 8 * GI, Architecture.X86_64);

        for (int i = 0; i < 20_000; i++) {
            model.add("n" + (i * 7 % 10), placed("p" + i, 0));
            if (i >= 40) {
                model.remove("p" + (i - 40));
            }
            if (i % 97 == 0) {
                boards.best(small);
            }
            if (i % 1013 == 0) {
                boards.best(big); // a board that lags far behind, across many compactions
            }
        }

        assertThat(boards.logSize()).isLessThanOrEqualTo(2 * model.size());
        ScoreBoards fresh = new ScoreBoards(model.hostArray(), rater);
        assertThat(boards.best(small)).isSameAs(fresh.best(small));
        assertThat(boards.best(big)).isSameAs(fresh.best(big));
    }
}
