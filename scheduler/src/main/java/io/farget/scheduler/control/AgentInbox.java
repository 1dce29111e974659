package io.farget.scheduler.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The agents' messages on their way to the leader loop, in arrival order, handled in batches: one
 * loop task takes everything that arrived meanwhile, so the status changes of many reports are
 * stored in a few ZooKeeper multi-ops instead of one round trip each. Bounded per task so other
 * leader work (creates, placement) gets its turn.
 */
final class AgentInbox<T> {
    static final int MAX_PER_TASK = 2_000;

    private final LeaderLoop loop;
    private final Consumer<List<T>> handler;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** {@code handler} runs on the loop with the next batch, oldest first. */
    AgentInbox(LeaderLoop loop, Consumer<List<T>> handler) {
        this.loop = loop;
        this.handler = handler;
    }

    void add(T item) {
        queue.add(item);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false); // an item added from here on schedules the next task (or joins this one)
        List<T> batch = new ArrayList<>();
        T item;
        while (batch.size() < MAX_PER_TASK && (item = queue.poll()) != null) {
            batch.add(item);
        }
        try {
            if (!batch.isEmpty()) {
                handler.accept(batch);
            }
        } finally {
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                loop.execute(this::drain);
            }
        }
    }
}
