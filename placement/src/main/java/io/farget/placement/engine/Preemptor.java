package io.farget.placement.engine;

import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds room for a pod that fits nowhere by evicting pods of strictly lower priority: on each host
 * that could take it once every lower pod is gone, remove the lowest (and, among equals, the
 * biggest) until it fits, then give back every victim it can do without, highest priority first
 * (Kubernetes' "reprieve"). The host with the fewest victims wins, then the lowest highest victim
 * priority, then the lowest sum. A pod that would still not fit evicts nothing.
 */
final class Preemptor {
    private static final Comparator<PlacedPod> EVICTION_ORDER = Comparator.comparingInt(PlacedPod::priority)
            .thenComparing(Comparator.comparingLong((PlacedPod p) -> p.amounts().cpuMillis()).reversed())
            .thenComparing(PlacedPod::id);

    record Preemption(Host host, List<PlacedPod> victims) {}

    private record Cost(int count, int maxPriority, long sumPriority, long tiebreak) implements Comparable<Cost> {
        @Override
        public int compareTo(Cost o) {
            return Comparator.comparingInt(Cost::count).thenComparingInt(Cost::maxPriority)
                    .thenComparingLong(Cost::sumPriority).thenComparingLong(Cost::tiebreak).compare(this, o);
        }
    }

    Optional<Preemption> find(Host[] hosts, PendingPod pod) {
        Preemption best = null;
        Cost bestCost = null;
        for (Host host : hosts) {
            if (Feasibility.staticRejection(host, pod) != null) {
                continue;
            }
            List<PlacedPod> lower = host.pods().stream().filter(p -> p.priority() < pod.priority()).sorted(EVICTION_ORDER).toList();
            if (lower.isEmpty()) {
                continue;
            }
            List<PlacedPod> victims = victimsOn(host, pod, lower);
            if (victims == null) {
                continue;
            }
            Cost cost = new Cost(victims.size(), victims.stream().mapToInt(PlacedPod::priority).max().orElse(0),
                    victims.stream().mapToLong(PlacedPod::priority).sum(), host.tiebreak());
            if (bestCost == null || cost.compareTo(bestCost) < 0) {
                best = new Preemption(host, victims);
                bestCost = cost;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The victims that make room on {@code host}, or null when even evicting all of {@code lower} would not. */
    private static List<PlacedPod> victimsOn(Host host, PendingPod pod, List<PlacedPod> lower) {
        Trial trial = new Trial(host);
        lower.forEach(trial::release);
        if (!trial.fits(pod)) {
            return null;
        }
        trial = new Trial(host);
        List<PlacedPod> victims = new ArrayList<>();
        for (PlacedPod candidate : lower) {
            trial.release(candidate);
            victims.add(candidate);
            if (trial.fits(pod)) {
                break;
            }
        }
        for (int i = victims.size() - 1; i >= 0; i--) {
            PlacedPod victim = victims.get(i);
            trial.reserve(victim);
            if (trial.fits(pod)) {
                victims.remove(i);
            } else {
                trial.release(victim);
            }
        }
        return victims;
    }

    /** What would be free on a host with some of its pods gone. */
    private static final class Trial {
        private final Host host;
        private long cpu;
        private long memory;
        private long disk;
        private final Map<String, Long> extended = new HashMap<>();
        private final int[] gpus;
        private final Set<String> gone = new HashSet<>();

        Trial(Host host) {
            this.host = host;
            this.cpu = host.freeCpuMillis();
            this.memory = host.freeMemoryBytes();
            this.disk = host.freeDiskBytes();
            this.gpus = host.gpuFreeCopy();
        }

        void release(PlacedPod pod) {
            change(pod, +1);
            gone.add(pod.id());
        }

        void reserve(PlacedPod pod) {
            change(pod, -1);
            gone.remove(pod.id());
        }

        private void change(PlacedPod pod, int sign) {
            cpu += sign * pod.amounts().cpuMillis();
            memory += sign * pod.amounts().memoryBytes();
            disk += sign * pod.amounts().diskBytes();
            pod.amounts().extended().forEach((k, v) -> extended.merge(k, sign * v, Long::sum));
            for (int d : pod.gpuDevices()) {
                gpus[d] += sign * pod.gpu().milliEach();
            }
        }

        boolean fits(PendingPod pod) {
            if (pod.cpuMillis() > cpu || pod.memoryBytes() > memory || pod.amounts().diskBytes() > disk) {
                return false;
            }
            for (Map.Entry<String, Long> e : pod.amounts().extended().entrySet()) {
                if (e.getValue() > host.freeExtended(e.getKey()) + extended.getOrDefault(e.getKey(), 0L)) {
                    return false;
                }
            }
            if (pod.gpu().count() > 0 && Gpus.choose(pod.gpu(), gpus) == null) {
                return false;
            }
            Collection<PlacedPod> residents = host.pods().stream().filter(p -> !gone.contains(p.id())).toList();
            return Feasibility.rulesAllow(residents, pod);
        }
    }

}
