package io.farget.scheduler.control;

import io.farget.proto.v1.Pod;
import io.farget.scheduler.lifecycle.Transition;
import java.util.List;

/**
 * Placement at creation: decides, for pods about to be stored, which can go to a node at once. Those
 * are stored once, already placed, instead of stored PENDING and stored again when a placement pass
 * picks them up: one ZooKeeper write per pod instead of two, and no pass to wait for. Implemented by
 * the plan applier; called on the leader loop.
 */
public interface CreatePlacement {
    /**
     * Per fresh pod (created by the state machine, not stored yet; in order), its transition: a
     * placement when it fits somewhere now, else none (it is stored PENDING and a pass places it).
     * The placed ones count in placement's model from now on, as if stored.
     */
    List<Transition> placeFresh(List<Pod> fresh);

    /** Some pods {@link #placeFresh} placed were not stored after all: placement must stop counting them. */
    void notStored();
}
