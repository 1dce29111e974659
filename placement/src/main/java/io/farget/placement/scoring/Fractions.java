package io.farget.placement.scoring;

import io.farget.placement.engine.Host;
import io.farget.placement.model.PendingPod;

/** How full a host would be in each dimension with the pod on it (0..1). */
final class Fractions {
    private Fractions() {}

    static double cpuAfter(Host host, PendingPod pod) {
        return usedAfter(host.capacity().cpuMillis(), host.freeCpuMillis(), pod.cpuMillis());
    }

    static double memoryAfter(Host host, PendingPod pod) {
        return usedAfter(host.capacity().memoryBytes(), host.freeMemoryBytes(), pod.memoryBytes());
    }

    /** GPU fraction in use after the pod; NaN on a host without GPUs. */
    static double gpuAfter(Host host, PendingPod pod) {
        long cap = host.gpuCount() * 1000L;
        return cap == 0 ? Double.NaN : usedAfter(cap, host.freeGpuMilli(), pod.gpu().totalMilli());
    }

    private static double usedAfter(long capacity, long free, long request) {
        return capacity <= 0 ? 1.0 : Math.min(1.0, (double) (capacity - free + request) / capacity);
    }
}
