package io.farget.placement.engine;

import io.farget.placement.model.PendingPod;
import io.farget.placement.model.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places pods on one long-lived {@link ClusterModel}, pass after pass, keeping what a pass sets up:
 * its scorers, their {@link ScoreBoards} and the boards' host classes, kept true between passes by
 * listening to the model. A scheduler runs many small passes as pods arrive; with this a pass costs
 * what it places (plus a re-score per host that changed), not a walk over every host and pod. When
 * the scorers change (a learned workload profile that moved), only the boards are built again: the
 * host classes they start from are kept.
 *
 * <p>Decisions are exactly a fresh pass's: the scorers of each pass are asked whether the last
 * pass's would score every host alike ({@link Scorer#nextPass}), and the boards are kept only while
 * every one of them is the very same; otherwise they are built again, as a fresh pass would. One
 * owner thread, like its model; {@link #close} stops listening to the model.
 */
public final class Placer implements AutoCloseable {
    private static final Comparator<PendingPod> HIGHEST_PRIORITY_FIRST = Comparator.comparingInt(PendingPod::priority).reversed();

    private final ScoringEngine engine;
    private final ClusterModel model;
    private List<Weighted> scorers; // the last pass's; null before the first
    private HostRater rater;
    private ScoreBoards boards; // listening to the model while set

    Placer(ScoringEngine engine, ClusterModel model) {
        this.engine = engine;
        this.model = model;
    }

    /** Whether this placer places for {@code engine} on {@code model}. */
    public boolean serves(ScoringEngine engine, ClusterModel model) {
        return this.engine == engine && this.model == model;
    }

    /**
     * Places {@code pods} in one pass, higher priority first and otherwise in the order given,
     * changing the model; {@code onEach} (may be null) hears every decision in order.
     */
    public Plan place(List<PendingPod> pods, ScoringEngine.Decisions onEach) {
        List<PendingPod> ordered = new ArrayList<>(pods);
        ordered.sort(HIGHEST_PRIORITY_FIRST); // stable: equal priorities keep their order
        setUp(ordered);
        return engine.placeAll(model, ordered, onEach, rater, boards);
    }

    private void setUp(List<PendingPod> batch) {
        List<Weighted> next = engine.nextPass(model, batch, scorers);
        if (scorers != null && sameScorers(scorers, next)) {
            return;
        }
        // The host classes depend on the hosts alone: the new boards take them over, still true.
        HostClasses classes = boards == null ? null : boards.classes();
        close();
        scorers = next;
        rater = new HostRater(next);
        if (rater.stateOnly()) {
            boards = classes == null ? new ScoreBoards(model.hostArray(), rater) : new ScoreBoards(model.hostArray(), rater, classes);
            model.listen(boards);
        }
    }

    private static boolean sameScorers(List<Weighted> a, List<Weighted> b) {
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).scorer() != b.get(i).scorer() || a.get(i).weight() != b.get(i).weight()) {
                return false;
            }
        }
        return true;
    }

    /** Stops listening to the model; a later pass sets up again from scratch. */
    @Override
    public void close() {
        if (boards != null) {
            model.unlisten(boards);
            boards = null;
        }
        scorers = null;
        rater = null;
    }
}
