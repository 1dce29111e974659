package io.farget.agent.task;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Resources;

/**
 * What the pods that have not ended reserve, as a running total: every admission and every
 * heartbeat asks for it, so it is kept up to date as pods come and end instead of summed over all
 * the pods held each time. Thread-safe.
 */
final class Allocation {
    private Resources total = ResourceMath.ZERO;

    /** A pod that will run (or runs, when adopted) now holds {@code size}. */
    synchronized void reserve(Resources size) {
        total = ResourceMath.add(total, size);
    }

    /** A pod that held {@code size} ended. */
    synchronized void release(Resources size) {
        total = ResourceMath.subtract(total, size);
    }

    synchronized Resources total() {
        return total;
    }
}
