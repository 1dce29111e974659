package io.farget.placement.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Countable resources other than GPUs: CPU in millicores, memory and ephemeral disk in bytes, and
 * named extended resources (e.g. {@code example.com/fpga}) in their own integer units.
 */
public record Amounts(long cpuMillis, long memoryBytes, long diskBytes, Map<String, Long> extended) {
    public static final Amounts ZERO = new Amounts(0, 0, 0, Map.of());

    public Amounts {
        extended = extended.isEmpty() ? Map.of() : Map.copyOf(new TreeMap<>(extended));
    }

    public static Amounts of(long cpuMillis, long memoryBytes) {
        return new Amounts(cpuMillis, memoryBytes, 0, Map.of());
    }

    public long extended(String name) {
        return extended.getOrDefault(name, 0L);
    }
}
