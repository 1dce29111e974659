package io.farget.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a container waits before the runtime restarts it, as the kubelet does: {@code initial}
 * after the first exit, doubling with each further one up to {@code max}; a container that ran at
 * least {@code resetAfter} before exiting starts over from {@code initial}. Pure.
 */
public record RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
    /** The kubelet's values: 10 s doubling to 5 min, reset after 10 min of running. */
    public static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10));

    public RestartBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("restart back-off needs 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    /**
     * The wait before the next start.
     *
     * @param previous the wait before the run that just ended; null if it was the first run
     * @param ranFor how long that run lasted
     */
    public Duration next(Duration previous, Duration ranFor) {
        if (previous == null || ranFor.compareTo(resetAfter) >= 0) {
            return initial;
        }
        Duration doubled = previous.isZero() ? initial : previous.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
