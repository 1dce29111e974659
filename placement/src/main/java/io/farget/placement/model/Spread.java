package io.farget.placement.model;

/**
 * Replicas that share the value of label {@code labelKey} go at most {@code maxPerHost} to a host.
 * With {@code maxPerHost} 1 this is pod anti-affinity with its own kind.
 */
public record Spread(String labelKey, int maxPerHost) {
    public Spread {
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("maxPerHost must be at least 1");
        }
    }
}
