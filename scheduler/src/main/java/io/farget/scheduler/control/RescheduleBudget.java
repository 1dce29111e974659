package io.farget.scheduler.control;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket that paces how many pods of lost nodes are rescheduled, so that losing half the
 * fleet (a partition, most often) does not stampede the other half with its whole load at once
 * (Borg rate-limits rescheduling the same way). The bucket holds a minute's worth of tokens:
 * {@code fractionPerMinute} of the fleet's active pods, at least {@code minimumPerMinute}, and
 * refills continuously at that rate. Pure: time comes from the clock.
 */
public final class RescheduleBudget {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final double fractionPerMinute;
    private final int minimumPerMinute;
    private double tokens = -1; // full on first use
    private Instant refilledAt;

    public RescheduleBudget(Clock clock, double fractionPerMinute, int minimumPerMinute) {
        if (fractionPerMinute <= 0 || minimumPerMinute < 1) {
            throw new IllegalArgumentException("a reschedule budget needs a positive rate");
        }
        this.clock = clock;
        this.fractionPerMinute = fractionPerMinute;
        this.minimumPerMinute = minimumPerMinute;
    }

    /** Takes one token if there is one; {@code fleetPods} is the fleet's active pod count now. */
    public boolean tryTake(int fleetPods) {
        double perMinute = perMinute(fleetPods);
        Instant now = clock.instant();
        if (tokens < 0) {
            tokens = perMinute;
        } else {
            double elapsed = Math.max(0, Duration.between(refilledAt, now).toNanos()) / (double) WINDOW.toNanos();
            tokens = Math.min(perMinute, tokens + elapsed * perMinute);
        }
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    double perMinute(int fleetPods) {
        return Math.max(minimumPerMinute, Math.ceil(fractionPerMinute * fleetPods));
    }
}
