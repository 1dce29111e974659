package io.farget.scheduler.control;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks for a placement pass when something changed. Requests coalesce: however many arrive while a
 * pass is queued, it runs once.
 */
public final class PlacementTrigger {
    private final LeaderLoop loop;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Runnable placement = () -> {};

    public PlacementTrigger(LeaderLoop loop) {
        this.loop = loop;
    }

    /** Sets what a pass runs (the plan applier). */
    public void bind(Runnable placement) {
        this.placement = placement;
    }

    public void request() {
        if (queued.compareAndSet(false, true)) {
            loop.execute(() -> {
                queued.set(false);
                placement.run();
            });
        }
    }
}
