package io.farget.placement;

import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives generated hosts and pods the distinct ids placement needs ({@code n0, n1, ...} and
 * {@code p0, p1, ...}): property tests draw them from a few kinds that share one id.
 */
final class Numbered {
    private Numbered() {}

    static List<NodeView> nodes(List<NodeView> drawn) {
        List<NodeView> out = new ArrayList<>(drawn.size());
        for (int i = 0; i < drawn.size(); i++) {
            NodeView n = drawn.get(i);
            out.add(new NodeView("n" + i, n.arch(), n.labels(), n.capacity(), n.gpuCount(), n.gpuModel(), n.condition(), List.of()));
        }
        return out;
    }

    static List<PendingPod> pods(List<PendingPod> drawn) {
        List<PendingPod> out = new ArrayList<>(drawn.size());
        for (int i = 0; i < drawn.size(); i++) {
            PendingPod p = drawn.get(i);
            out.add(new PendingPod("p" + i, p.amounts(), p.gpu(), p.arch(), p.priority(), p.labels(), p.selectors(),
                    p.gpuModels(), p.spread(), p.antiAffinity()));
        }
        return out;
    }
}
