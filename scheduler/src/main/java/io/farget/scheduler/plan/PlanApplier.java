package io.farget.scheduler.plan;

import io.farget.proto.v1.DesiredState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.HostScoreInfo;
import io.farget.proto.v1.PlanPodResponse;
import io.farget.proto.v1.PodSpec;
import io.farget.scheduler.control.CreatePlacement;
import io.farget.scheduler.control.PlacementTrigger;
import io.farget.scheduler.control.PodCommitter;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.node.NodeConnections;
import io.farget.placement.engine.ClusterModel;
import io.farget.placement.model.Assignment;
import io.farget.placement.model.Eviction;
import io.farget.placement.model.HostScore;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.ClusterSnapshot;
import io.farget.placement.model.Explanation;
import io.farget.placement.model.Plan;
import io.farget.placement.PlacementEngine;
import io.farget.scheduler.state.ClusterState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one plan applier of the leader (runs on the leader loop): asks the engine for a plan for the
 * pending pods over the committed cluster ({@link LiveModel}, kept between passes), re-checks every assignment against current state (node
 * still READY and connected, pod still PENDING, every filter and dimension including GPUs, selectors
 * and spreading), commits what holds and launches it. A placement that needs preemption evicts its
 * victims in the same commit ({@link PodEvent.Preempted}); pods left unplaced get the engine's
 * explanation as their reason (in memory).
 */
public final class PlanApplier implements CreatePlacement {
    private static final Logger log = LoggerFactory.getLogger(PlanApplier.class);

    private final ClusterState state;
    private final PlacementEngine engine;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final PlacementTrigger trigger;
    private final LiveModel model;

    public PlanApplier(ClusterState state, NodeConnections connections, PlacementEngine engine,
                       PodStateMachine machine, PodCommitter committer, PlacementTrigger trigger) {
        this.state = state;
        this.engine = engine;
        this.machine = machine;
        this.committer = committer;
        this.trigger = trigger;
        this.model = new LiveModel(state, connections, engine);
        state.addListener(model);
    }

    /** One placement pass. Must run on the leader loop. */
    public void placePending() {
        List<Pod> pending = state.pendingPods().stream()
                .filter(p -> p.getDesired() != DesiredState.DESIRED_STATE_KILL)
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Inputs inputs = new Inputs(pending);
        Plan plan = model.plan(engine, inputs.list());
        log.debug("Placement of {} pods took {} us: {} placed, {} evictions", pending.size(),
                (System.nanoTime() - started) / 1000, plan.assignments().size(), plan.evictions().size());

        boolean stale;
        try {
            Checked checked = recheck(plan, model.current(), state::pod, inputs);
            committer.commit(checked.transitions());
            stale = checked.stale();
        } catch (RuntimeException e) {
            model.invalidate(); // the model may hold steps that were not stored
            throw e;
        }
        // Explanations live in memory only: they are recomputed every pass, and when a node joins
        // every pending pod's explanation changes; writing them all would flood ZooKeeper.
        for (Map.Entry<String, Explanation> e : plan.unplaced().entrySet()) {
            state.pod(e.getKey())
                    .map(pod -> machine.apply(pod, new PodEvent.StillPending(e.getValue().message())))
                    .filter(Transition::changed)
                    .ifPresent(t -> state.putPod(t.after()));
        }
        if (stale) {
            trigger.request(); // state moved under the plan: try the rejected pods again
        }
    }

    /**
     * Places pods at their creation, on the committed model and with the pass's re-checks, unless
     * that would jump the queue or take a decision only a pass takes: nothing is placed here while
     * older pods wait (a pass serves them first, oldest first), nor when a placement would preempt.
     */
    @Override
    public List<Transition> placeFresh(List<Pod> fresh) {
        if (fresh.isEmpty() || state.hasPending()) {
            return unplaced(fresh);
        }
        Map<String, Pod> byId = new HashMap<>(fresh.size() * 2);
        fresh.forEach(pod -> byId.put(pod.getId(), pod));
        try {
            Inputs inputs = new Inputs(fresh);
            Plan plan = model.plan(engine, inputs.list());
            if (!plan.evictions().isEmpty()) {
                return unplaced(fresh); // the model is as committed again: plan() put the victims back
            }
            Map<String, Transition> placed = new HashMap<>(fresh.size() * 2);
            for (Transition t : recheck(plan, model.current(), id -> Optional.ofNullable(byId.get(id)), inputs).transitions()) {
                placed.put(t.after().getId(), t);
            }
            return fresh.stream().map(pod -> placed.getOrDefault(pod.getId(), Transition.none(pod))).toList();
        } catch (RuntimeException e) {
            // Placement is an optimisation here: the pods are stored PENDING and the next pass tries again.
            model.invalidate();
            log.warn("Placement at creation failed; {} pods wait for the next pass: {}", fresh.size(), e.toString());
            return unplaced(fresh);
        }
    }

    @Override
    public void notStored() {
        model.invalidate();
    }

    private static List<Transition> unplaced(List<Pod> fresh) {
        return fresh.stream().map(Transition::none).toList();
    }

    private record Checked(List<Transition> transitions, boolean stale) {}

    /**
     * The pods of one pass as placement sees them, translated once: the plan and its re-check both
     * read them (a pod's spec never changes, so neither does its translation).
     */
    private static final class Inputs {
        private final List<PendingPod> list;
        private final Map<String, PendingPod> byId;

        Inputs(List<Pod> pods) {
            list = new ArrayList<>(pods.size());
            byId = new HashMap<>(pods.size() * 2);
            for (Pod pod : pods) {
                PendingPod input = PlacementInputs.pod(pod);
                list.add(input);
                byId.put(pod.getId(), input);
            }
        }

        List<PendingPod> list() {
            return list;
        }

        PendingPod of(Pod pod) {
            PendingPod input = byId.get(pod.getId());
            return input != null ? input : PlacementInputs.pod(pod);
        }
    }

    /**
     * Re-checks the plan against the state as it is now, on the committed model, in the plan's
     * order: a step that no longer holds is dropped (with its evictions) and tried again next pass.
     * What holds is added to the model here; committing it then changes nothing there.
     */
    private Checked recheck(Plan plan, ClusterModel current, Function<String, Optional<Pod>> pods, Inputs inputs) {
        Map<String, List<Eviction>> evictionsFor = new HashMap<>();
        for (Eviction e : plan.evictions()) {
            evictionsFor.computeIfAbsent(e.forPodId(), k -> new ArrayList<>()).add(e);
        }
        List<Transition> transitions = new ArrayList<>();
        boolean stale = false;
        for (Assignment a : plan.assignments()) {
            Pod pod = pods.apply(a.podId()).orElse(null);
            if (pod == null || pod.getStatus().getPhase() != PodPhase.POD_PHASE_PENDING
                    || pod.getDesired() == DesiredState.DESIRED_STATE_KILL) {
                stale = true;
                continue;
            }
            List<Eviction> evictions = evictionsFor.getOrDefault(a.podId(), List.of());
            List<PlacedPod> evicted = evict(current, a.nodeId(), evictions);
            PendingPod wanted = inputs.of(pod);
            if (evicted == null || !current.admits(a.nodeId(), wanted, a.gpuDevices())) {
                if (evicted != null) {
                    evicted.forEach(victim -> current.add(a.nodeId(), victim));
                }
                stale = true;
                continue;
            }
            for (Eviction e : evictions) {
                Pod victim = state.pod(e.victimPodId()).orElseThrow();
                log.info("Preempting pod {} on node {} for pod {} (priority {} > {})", victim.getId(), e.nodeId(),
                        pod.getId(), pod.getSpec().getPriority(), victim.getSpec().getPriority());
                transitions.add(machine.apply(victim, new PodEvent.Preempted(pod.getId())));
            }
            current.add(a.nodeId(), new PlacedPod(pod.getId(), wanted.amounts(), wanted.gpu(), a.gpuDevices(),
                    wanted.priority(), wanted.labels()));
            transitions.add(machine.apply(pod, new PodEvent.Placed(a.nodeId(),
                    Arrays.stream(a.gpuDevices()).boxed().toList())));
        }
        return new Checked(transitions, stale);
    }

    /**
     * Dry run for one spec: where it would go now (preempting whom), the best {@code top} hosts with
     * each scorer's part, or why nowhere. Reads state only; must run on the leader loop.
     */
    public PlanPodResponse dryRun(PodSpec spec, int top) {
        ClusterSnapshot snapshot = model.snapshot();
        PendingPod pod = PlacementInputs.pod("dry-run", spec);
        Plan plan = engine.place(snapshot, List.of(pod));
        PlanPodResponse.Builder out = PlanPodResponse.newBuilder()
                .setNodeId(plan.assignments().isEmpty() ? "" : plan.assignments().get(0).nodeId())
                .addAllWouldPreempt(plan.evictions().stream().map(Eviction::victimPodId).toList());
        Explanation why = plan.unplaced().get(pod.id());
        if (why != null) {
            out.setExplanation(why.message()).setUnresolvable(why.unresolvable());
        }
        for (HostScore score : engine.rank(snapshot, pod, top)) {
            out.addHosts(HostScoreInfo.newBuilder().setNodeId(score.nodeId()).setTotal(score.total())
                    .putAllByScorer(score.byScorer()));
        }
        return out.build();
    }

    /** Takes the victims off the model; null (nothing changed) when one is no longer where the plan saw it. */
    private List<PlacedPod> evict(ClusterModel model, String nodeId, List<Eviction> evictions) {
        for (Eviction e : evictions) {
            if (!e.nodeId().equals(nodeId) || !model.nodeOf(e.victimPodId()).map(nodeId::equals).orElse(false)) {
                return null;
            }
        }
        List<PlacedPod> removed = new ArrayList<>();
        for (Eviction e : evictions) {
            model.remove(e.victimPodId()).ifPresent(removed::add);
        }
        return removed;
    }
}
