package io.farget.placement.engine;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Condition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts grouped by the state they are in now, as far as a state-only scorer can see it (size, GPU
 * model, condition, what is free, per GPU device): the equivalence classes of kube-scheduler and
 * Borg. Two hosts of one class get the same score for any pod, so a new score board rates one host
 * per class instead of every host. A cluster of a few machine kinds has a few classes (an empty one
 * as many as it has kinds), and hosts filled alike share one. A host that changes moves to the class
 * of its new state (O(1)), so the classes stay true however long they are kept; the number of a
 * class emptied is given to the next new state, so numbers stay below the number of hosts.
 */
final class HostClasses {
    private record State(Amounts capacity, String gpuModel, Condition condition, long cpu, long memory, long disk,
                         Map<String, Long> extended, List<Integer> gpuFree) {
        static State of(Host host) {
            int[] free = host.gpuFreeView();
            Integer[] gpuFree = new Integer[free.length];
            for (int d = 0; d < free.length; d++) {
                gpuFree[d] = free[d];
            }
            return new State(host.capacity(), host.gpuModel(), host.condition(), host.freeCpuMillis(), host.freeMemoryBytes(),
                    host.freeDiskBytes(), Map.copyOf(host.freeExtendedView()), List.of(gpuFree));
        }
    }

    private final int[] classOf;
    private final Map<State, Integer> ids = new HashMap<>();
    private final List<State> stateOf = new ArrayList<>(); // per class number: its state, null while unused
    private int[] members = new int[16]; // per class number: how many hosts are in it
    private final List<Integer> unused = new ArrayList<>(); // emptied class numbers, to give again

    HostClasses(Host[] hosts) {
        classOf = new int[hosts.length];
        for (Host host : hosts) {
            classOf[host.index] = join(State.of(host));
        }
    }

    /** Class numbers are below this. */
    int classes() {
        return stateOf.size();
    }

    /** The class {@code host} is in. */
    int classOf(Host host) {
        return classOf[host.index];
    }

    /** Moves {@code host} to the class of its state now: what is free on it changed. */
    void changed(Host host) {
        int before = classOf[host.index];
        if (--members[before] == 0) {
            ids.remove(stateOf.get(before));
            stateOf.set(before, null);
            unused.add(before);
        }
        classOf[host.index] = join(State.of(host));
    }

    private int join(State state) {
        Integer id = ids.get(state);
        if (id == null) {
            id = unused.isEmpty() ? stateOf.size() : unused.remove(unused.size() - 1);
            if (id == stateOf.size()) {
                stateOf.add(state);
            } else {
                stateOf.set(id, state);
            }
            if (id >= members.length) {
                members = Arrays.copyOf(members, members.length * 2);
            }
            ids.put(state, id);
        }
        members[id]++;
        return id;
    }
}
