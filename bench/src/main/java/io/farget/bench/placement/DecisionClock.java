package io.farget.bench.placement;

import io.farget.placement.engine.Host;
import io.farget.placement.engine.ScoringEngine;
import io.farget.placement.model.PendingPod;

/**
 * Splits one pass's wall time between the decisions that placed a pod and those that found no host,
 * so that a rate of placements counts only pods that were placed: deciding "fits nowhere" is cheap
 * and, counted as a placement, would flatter a full cluster. Each decision is charged the time since
 * the previous one ended; the pass's set-up (its working model, its score boards) falls on the first
 * decision, whatever it is. One clock per pass, one thread.
 */
final class DecisionClock implements ScoringEngine.Decisions {
    private final long started;
    private long last;
    private long placed;
    private long noFit;
    private long placedNanos;
    private long noFitNanos;
    private long lastPlacementAt;

    /** A clock running from now: start it before the pass builds anything. */
    DecisionClock() {
        started = System.nanoTime();
        last = started;
        lastPlacementAt = started;
    }

    @Override
    public void placed(PendingPod pod, Host host) {
        long now = System.nanoTime();
        placedNanos += now - last;
        last = now;
        lastPlacementAt = now;
        placed++;
    }

    @Override
    public void unplaced(PendingPod pod) {
        long now = System.nanoTime();
        noFitNanos += now - last;
        last = now;
        noFit++;
    }

    /** The pass as measured; call once every decision is made. */
    PassTiming stop() {
        return new PassTiming(placed, noFit, placedNanos, noFitNanos, lastPlacementAt - started, last - started);
    }

    /**
     * One pass: {@code placedNanos} and {@code noFitNanos} add up to {@code totalNanos};
     * {@code untilLastPlacementNanos} is the wall time until the cluster took its last pod (no-fit
     * decisions made before it included).
     */
    record PassTiming(long placed, long noFit, long placedNanos, long noFitNanos, long untilLastPlacementNanos, long totalNanos) {
        /** Pods placed per second of the decisions that placed them. */
        double placementsPerSecond() {
            return perSecond(placed, placedNanos);
        }

        /** Pods placed per second of wall time until the last one placed (the time to fill the cluster). */
        double fillPlacementsPerSecond() {
            return perSecond(placed, untilLastPlacementNanos);
        }

        /** "Fits nowhere" decisions per second of the time they took. */
        double noFitDecisionsPerSecond() {
            return perSecond(noFit, noFitNanos);
        }

        /** Every decision, placed or not, per second of the whole pass (what the benchmark used to report). */
        double decisionsPerSecond() {
            return perSecond(placed + noFit, totalNanos);
        }

        private static double perSecond(long count, long nanos) {
            return nanos <= 0 ? 0 : count / (nanos / 1e9);
        }
    }
}
