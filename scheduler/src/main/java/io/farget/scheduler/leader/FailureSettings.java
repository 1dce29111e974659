package io.farget.scheduler.leader;

import java.time.Duration;

/**
 * How node failures are handled.
 *
 * @param podsLostAfter              after a node became NOT_READY, how long until its pods are given up
 *                                   (LOST, or rescheduled per their restart policy)
 * @param rescheduleFractionPerMinute at most this share of the fleet's active pods is rescheduled per minute
 * @param rescheduleMinimumPerMinute  ... but always at least this many (a small fleet still recovers)
 */
public record FailureSettings(Duration podsLostAfter, double rescheduleFractionPerMinute, int rescheduleMinimumPerMinute) {
    public static FailureSettings defaults() {
        return new FailureSettings(Duration.ofSeconds(30), 0.10, 10);
    }

    public FailureSettings withPodsLostAfter(Duration d) {
        return new FailureSettings(d, rescheduleFractionPerMinute, rescheduleMinimumPerMinute);
    }

    public FailureSettings withRescheduleRate(double fractionPerMinute, int minimumPerMinute) {
        return new FailureSettings(podsLostAfter, fractionPerMinute, minimumPerMinute);
    }
}
