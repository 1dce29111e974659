package io.farget.placement.engine;

import io.farget.placement.PlacementEngine;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Eviction;
import io.farget.placement.model.Explanation;
import io.farget.placement.model.HostScore;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The placement engine: filters, then weighted bounded scorers over the candidates the index
 * offers, the best score winning and a seeded per-host number breaking ties. A batch is placed in
 * one pass over one {@link ClusterModel}, updated pod by pod. A pod that fits nowhere may preempt
 * (when enabled), else gets an explanation.
 */
public final class ScoringEngine implements PlacementEngine {
    private final EngineConfig config;
    private final Preemptor preemptor = new Preemptor();

    public ScoringEngine(EngineConfig config) {
        this.config = config;
    }

    public EngineConfig config() {
        return config;
    }

    @Override
    public Plan place(ClusterSnapshot snapshot, List<PendingPod> pods) {
        ClusterModel model = new ClusterModel(snapshot, config.seed());
        return place(model, pods, null);
    }

    /** Places {@code pods} on {@code model}, changing it; {@code onEach} (may be null) hears every decision in order. */
    public Plan place(ClusterModel model, List<PendingPod> pods, Decisions onEach) {
        try (Placer once = placer(model)) {
            return once.place(pods, onEach);
        }
    }

    /**
     * A placer for many passes over {@code model}, each costing what it places rather than what the
     * model holds, with the decisions of {@link #place(ClusterModel, List, Decisions)}. It listens to
     * the model until closed.
     */
    public Placer placer(ClusterModel model) {
        return new Placer(this, model);
    }

    /** The pass's scorers, each given the one it made for the pass before (null at the first). */
    List<Weighted> nextPass(ClusterModel model, List<PendingPod> batch, List<Weighted> previous) {
        List<Weighted> out = new ArrayList<>(config.scorers().size());
        for (int i = 0; i < config.scorers().size(); i++) {
            Weighted w = config.scorers().get(i);
            Scorer before = previous == null ? null : previous.get(i).scorer();
            out.add(new Weighted(w.scorer().nextPass(model, batch, before), w.weight()));
        }
        return out;
    }

    /** One pass over {@code ordered} (highest priority first), with the pass's rater and, when its scorers allow, boards. */
    Plan placeAll(ClusterModel model, List<PendingPod> ordered, Decisions onEach, HostRater rater, ScoreBoards boards) {
        Candidates candidates = new Candidates(rater);
        List<Assignment> assignments = new ArrayList<>();
        List<Eviction> evictions = new ArrayList<>();
        Map<String, Explanation> unplaced = new HashMap<>();
        // Within a pass hosts only fill up (until a preemption frees room), so a pod whose shape and
        // rules found no host will find none again: reuse the first one's explanation.
        Map<Object, Explanation> hopeless = new HashMap<>();
        Host[] hosts = model.hostArray();
        for (PendingPod pod : ordered) {
            Object shape = shapeKey(pod);
            Explanation known = hopeless.get(shape);
            if (known != null) {
                unplaced.put(pod.id(), known);
                if (onEach != null) {
                    onEach.unplaced(pod);
                }
                continue;
            }
            Choice choice = choose(model, pod, rater, candidates, boards);
            // Preemption needs a placed pod of strictly lower priority somewhere; with none (the common
            // case: everyone at the default priority) the search over every host is skipped.
            if (choice == null && config.preemption() && pod.priority() > model.lowestPriority()) {
                Optional<Preemptor.Preemption> room = preemptor.find(hosts, pod);
                if (room.isPresent()) {
                    for (PlacedPod victim : room.get().victims()) {
                        model.remove(victim.id());
                        evictions.add(new Eviction(victim.id(), room.get().host().id(), pod.id()));
                    }
                    hopeless.clear();
                    Host host = room.get().host();
                    choice = new Choice(host, Gpus.choose(pod.gpu(), host.gpuFreeView()));
                }
            }
            if (choice == null) {
                Explanation why = Explainer.explain(hosts, pod);
                unplaced.put(pod.id(), why);
                if (shape != null) {
                    hopeless.put(shape, why);
                }
                if (onEach != null) {
                    onEach.unplaced(pod);
                }
                continue;
            }
            model.add(choice.host().id(), new PlacedPod(pod.id(), pod.amounts(), pod.gpu(), choice.devices(), pod.priority(), pod.labels()));
            assignments.add(new Assignment(pod.id(), choice.host().id(), choice.devices()));
            if (onEach != null) {
                onEach.placed(pod, choice.host());
            }
        }
        return new Plan(assignments, evictions, unplaced);
    }

    /** Hears each decision of a pass as it is made (benchmarks record metrics after every pod). */
    public interface Decisions {
        void placed(PendingPod pod, Host host);

        void unplaced(PendingPod pod);
    }

    @Override
    public List<HostScore> rank(ClusterSnapshot snapshot, PendingPod pod, int limit) {
        ClusterModel model = new ClusterModel(snapshot, config.seed());
        List<Weighted> scorers = forPass(model, List.of(pod));
        List<HostScore> all = new ArrayList<>();
        Map<HostScore, Long> tiebreaks = new HashMap<>();
        for (Host host : model.hostArray()) {
            if (Feasibility.staticRejection(host, pod) != null || !Feasibility.fitsNow(host, pod)) {
                continue;
            }
            int[] devices = Gpus.choose(pod.gpu(), host.gpuFreeView());
            Map<String, Double> parts = new LinkedHashMap<>();
            double total = 0;
            for (Weighted w : scorers) {
                double s = w.scorer().score(host, pod, devices);
                parts.put(w.scorer().name(), s);
                total += w.weight() * s;
            }
            HostScore score = new HostScore(host.id(), total, parts);
            all.add(score);
            tiebreaks.put(score, host.tiebreak());
        }
        // As placement chooses: a pod that runs anywhere goes to the emptier architecture when it fits there.
        Comparator<HostScore> order = Comparator.comparingDouble(HostScore::total).reversed();
        if (pod.arch() == Architecture.ANY && model.architectures().mixed()) {
            List<Architecture> preferred = model.architectures().emptiestFirst();
            order = Comparator.<HostScore>comparingInt(s -> preferred.indexOf(model.host(s.nodeId()).orElseThrow().arch()))
                    .thenComparing(order);
        }
        all.sort(order.thenComparingLong(tiebreaks::get));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    private List<Weighted> forPass(ClusterModel model, List<PendingPod> batch) {
        return config.scorers().stream().map(w -> new Weighted(w.scorer().forPass(model, batch), w.weight())).toList();
    }

    private record Choice(Host host, int[] devices) {}

    /**
     * The best feasible host, or null when none fits. A pod that runs on any architecture looks on
     * the emptiest architecture first ({@link ArchitectureLoad}), then on the others.
     */
    private Choice choose(ClusterModel model, PendingPod pod, HostRater rater, Candidates candidates, ScoreBoards boards) {
        Host host = null;
        if (pod.arch() == Architecture.ANY && model.architectures().mixed()) {
            for (Architecture arch : model.architectures().emptiestFirst()) {
                host = best(model, pod.withArch(arch), candidates, boards);
                if (host != null) {
                    break;
                }
            }
        } else {
            host = best(model, pod, candidates, boards);
        }
        return host == null ? null : new Choice(host, rater.devices(host, pod));
    }

    /**
     * The best feasible host for {@code pod} as it asks. With state-only scorers the score boards
     * know it exactly; otherwise the index offers candidates, tightest first, up to the candidate limit.
     */
    private Host best(ClusterModel model, PendingPod pod, Candidates candidates, ScoreBoards boards) {
        if (boards != null) {
            return boards.best(pod);
        }
        candidates.start(pod, config.candidateLimit() == 0 ? Integer.MAX_VALUE : config.candidateLimit());
        model.index().visitCandidates(pod, candidates);
        return candidates.best;
    }

    /** Scores the hosts the index offers for one pod, keeping the best; one reused instance per pass. */
    private static final class Candidates implements Predicate<Host> {
        private final HostRater rater;
        private PendingPod pod;
        private int left;
        private Host best;
        private double bestScore;

        Candidates(HostRater rater) {
            this.rater = rater;
        }

        void start(PendingPod next, int limit) {
            pod = next;
            left = limit;
            best = null;
            bestScore = Double.NEGATIVE_INFINITY;
        }

        @Override
        public boolean test(Host host) {
            if (Feasibility.staticRejection(host, pod) != null || !Feasibility.fitsNow(host, pod)) {
                return true;
            }
            double score = rater.rate(host, pod);
            if (best == null || score > bestScore || (score == bestScore && host.tiebreak() < best.tiebreak())) {
                best = host;
                bestScore = score;
            }
            return --left > 0;
        }
    }

    /** What decides whether a pod can fit, when no rule depends on the pods already placed; else null (never cached). */
    private static Object shapeKey(PendingPod pod) {
        if (pod.spread() != null || !pod.antiAffinity().isEmpty()) {
            return null;
        }
        return List.of(pod.amounts(), pod.gpu(), pod.arch(), pod.selectors(), pod.gpuModels(), pod.priority());
    }
}
