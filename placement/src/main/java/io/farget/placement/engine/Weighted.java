package io.farget.placement.engine;

/** A scorer and how much it counts in the sum. */
public record Weighted(Scorer scorer, double weight) {
    public Weighted {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("weight must be positive: " + weight);
        }
    }
}
