package io.farget.placement.engine;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Rejection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The filters: whether a host may take a pod. Cheap, permanent checks first (condition,
 * architecture, labels, GPU model, size when empty), then what is free now, then the rules about
 * the pods already there (spread, anti-affinity).
 */
final class Feasibility {
    private Feasibility() {}

    /** The cause that rules the host out whatever runs on it, or null. */
    static Rejection staticRejection(Host host, PendingPod pod) {
        if (host.condition() != Condition.READY) {
            return switch (host.condition()) {
                case CORDONED -> Rejection.CORDONED;
                case DRAINING -> Rejection.DRAINING;
                default -> Rejection.NOT_READY;
            };
        }
        return kindRejection(host, pod);
    }

    /** Causes that no amount of waiting removes: the host is the wrong kind or too small. */
    static Rejection kindRejection(Host host, PendingPod pod) {
        if (!pod.arch().runsOn(host.arch())) {
            return Rejection.WRONG_ARCHITECTURE;
        }
        if (!selectorsMatch(host, pod)) {
            return Rejection.LABEL_MISMATCH;
        }
        if (!pod.gpu().none() && !pod.gpuModels().isEmpty() && !pod.gpuModels().contains(host.gpuModel())) {
            return Rejection.GPU_MODEL;
        }
        return fitsWhenEmpty(host, pod) ? null : Rejection.TOO_SMALL;
    }

    private static boolean fitsWhenEmpty(Host host, PendingPod pod) {
        Amounts need = pod.amounts();
        Amounts cap = host.capacity();
        if (need.cpuMillis() > cap.cpuMillis() || need.memoryBytes() > cap.memoryBytes() || need.diskBytes() > cap.diskBytes()) {
            return false;
        }
        if (!need.extended().isEmpty()) {
            for (Map.Entry<String, Long> e : need.extended().entrySet()) {
                if (e.getValue() > cap.extended(e.getKey())) {
                    return false;
                }
            }
        }
        return pod.gpu().count() <= host.gpuCount();
    }

    /** Whether the host takes the pod now (the static checks having passed). */
    static boolean fitsNow(Host host, PendingPod pod) {
        return resourcesFree(host, pod) && rulesAllow(host.pods(), pod);
    }

    /** Whether what is free on the host covers the pod's requests in every dimension. */
    static boolean resourcesFree(Host host, PendingPod pod) {
        Amounts need = pod.amounts();
        if (need.cpuMillis() > host.freeCpuMillis() || need.memoryBytes() > host.freeMemoryBytes()
                || need.diskBytes() > host.freeDiskBytes()
                || !Gpus.fits(pod.gpu(), host.wholeFreeGpus(), host.maxGpuFree())) {
            return false;
        }
        if (!need.extended().isEmpty()) {
            for (Map.Entry<String, Long> e : need.extended().entrySet()) {
                if (e.getValue() > host.freeExtended(e.getKey())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the host could take a pod of this shape now, as far as the shape alone says: ready,
     * of a GPU model it accepts, with room. Architecture, labels, spread and anti-affinity belong to
     * the pod and are checked per pod ({@link #podAllows}).
     */
    static boolean shapeFits(Host host, PendingPod shape) {
        return host.condition() == Condition.READY
                && (shape.gpu().none() || shape.gpuModels().isEmpty() || shape.gpuModels().contains(host.gpuModel()))
                && resourcesFree(host, shape);
    }

    /** The pod's own rules on a host whose shape fits: architecture, labels, spread, anti-affinity. */
    static boolean podAllows(Host host, PendingPod pod) {
        return pod.arch().runsOn(host.arch()) && selectorsMatch(host, pod) && rulesAllow(host.pods(), pod);
    }

    private static boolean selectorsMatch(Host host, PendingPod pod) {
        List<LabelSelector> selectors = pod.selectors();
        for (int i = 0, n = selectors.size(); i < n; i++) {
            if (!selectors.get(i).matches(host.labels())) {
                return false;
            }
        }
        return true;
    }

    /** Every cause for which the host cannot take the pod now (the static checks having passed). */
    static void currentRejections(Host host, PendingPod pod, Consumer<Rejection> sink) {
        Amounts need = pod.amounts();
        if (need.cpuMillis() > host.freeCpuMillis()) {
            sink.accept(Rejection.INSUFFICIENT_CPU);
        }
        if (need.memoryBytes() > host.freeMemoryBytes()) {
            sink.accept(Rejection.INSUFFICIENT_MEMORY);
        }
        if (need.diskBytes() > host.freeDiskBytes()) {
            sink.accept(Rejection.INSUFFICIENT_DISK);
        }
        if (!Gpus.fits(pod.gpu(), host.wholeFreeGpus(), host.maxGpuFree())) {
            sink.accept(Rejection.INSUFFICIENT_GPU);
        }
        if (!need.extended().isEmpty()
                && need.extended().entrySet().stream().anyMatch(e -> e.getValue() > host.freeExtended(e.getKey()))) {
            sink.accept(Rejection.INSUFFICIENT_EXTENDED);
        }
        if (!spreadAllows(host.pods(), pod)) {
            sink.accept(Rejection.SPREAD);
        }
        if (!antiAffinityAllows(host.pods(), pod)) {
            sink.accept(Rejection.ANTI_AFFINITY);
        }
    }

    /** Spread and anti-affinity against {@code residents}. */
    static boolean rulesAllow(Collection<PlacedPod> residents, PendingPod pod) {
        return spreadAllows(residents, pod) && antiAffinityAllows(residents, pod);
    }

    static boolean spreadAllows(Collection<PlacedPod> residents, PendingPod pod) {
        if (pod.spread() == null) {
            return true;
        }
        String value = pod.labels().get(pod.spread().labelKey());
        if (value == null) {
            return true;
        }
        int same = 0;
        for (PlacedPod resident : residents) {
            if (value.equals(resident.labels().get(pod.spread().labelKey())) && ++same >= pod.spread().maxPerHost()) {
                return false;
            }
        }
        return true;
    }

    static boolean antiAffinityAllows(Collection<PlacedPod> residents, PendingPod pod) {
        if (pod.antiAffinity().isEmpty()) {
            return true;
        }
        for (PlacedPod resident : residents) {
            if (pod.antiAffinity().stream().allMatch(s -> s.matches(resident.labels()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code free} GPU devices take the request. */
    static boolean gpusFit(GpuRequest request, int[] free) {
        return Gpus.choose(request, free) != null;
    }
}
