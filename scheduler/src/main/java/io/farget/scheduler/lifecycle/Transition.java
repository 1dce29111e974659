package io.farget.scheduler.lifecycle;

import io.farget.common.PodPhases;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import java.util.List;

/** A pod before and after an event, and the side effects to run once the new pod is stored. */
public record Transition(Pod before, Pod after, List<SideEffect> effects) {
    public Transition {
        effects = List.copyOf(effects);
    }

    /** Nothing happens to {@code pod}. */
    public static Transition none(Pod pod) {
        return new Transition(pod, pod, List.of());
    }

    /** Whether the pod itself changed, so it must be stored. */
    public boolean changed() {
        if (before == after) {
            return false;
        }
        // Nearly every change is one of status: comparing that first spares a deep compare of the spec.
        return !before.getStatus().equals(after.getStatus()) || !before.equals(after);
    }

    public PodPhase phaseBefore() {
        return before.getStatus().getPhase();
    }

    public PodPhase phaseAfter() {
        return after.getStatus().getPhase();
    }

    public boolean finished() {
        return !PodPhases.isTerminal(phaseBefore()) && PodPhases.isTerminal(phaseAfter());
    }

    public boolean placed() {
        return phaseBefore() == PodPhase.POD_PHASE_PENDING && phaseAfter() == PodPhase.POD_PHASE_SCHEDULED;
    }

    /** The pod left a node without finishing (a refused launch): it needs a new place. */
    public boolean returnedToPending() {
        return phaseBefore() != PodPhase.POD_PHASE_PENDING && phaseAfter() == PodPhase.POD_PHASE_PENDING;
    }
}
