package io.farget.placement.engine;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Condition;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts grouped by the state they started the pass in, as far as a state-only scorer can see it
 * (size, GPU model, condition, what is free, per GPU device): the equivalence classes of
 * kube-scheduler and Borg. Two hosts of one class get the same score for any pod, so a new score
 * board rates one host per class instead of every host. A cluster of a few machine kinds starts in a
 * few classes (an empty one in as many as it has kinds). A host leaves its class for good at its
 * first change: hosts diverge as they fill, and the boards already rate a changed host alone.
 */
final class StartingStates {
    private static final int CHANGED = -1;

    private record State(Amounts capacity, String gpuModel, Condition condition, long cpu, long memory, long disk,
                         Map<String, Long> extended, List<Integer> gpuFree) {
        static State of(Host host) {
            return new State(host.capacity(), host.gpuModel(), host.condition(), host.freeCpuMillis(), host.freeMemoryBytes(),
                    host.freeDiskBytes(), Map.copyOf(host.freeExtendedView()),
                    Arrays.stream(host.gpuFreeView()).boxed().toList());
        }
    }

    private final int[] classOf;
    private final int classes;

    StartingStates(Host[] hosts) {
        classOf = new int[hosts.length];
        Map<State, Integer> ids = new HashMap<>();
        for (Host host : hosts) {
            classOf[host.index] = ids.computeIfAbsent(State.of(host), s -> ids.size());
        }
        classes = ids.size();
    }

    /** How many classes the pass started with. */
    int classes() {
        return classes;
    }

    /** The class {@code host} started in, or -1 once it has changed. */
    int classOf(Host host) {
        return classOf[host.index];
    }

    /** Takes {@code host} out of its class: what is free on it changed. */
    void changed(Host host) {
        classOf[host.index] = CHANGED;
    }
}
