package io.farget.placement.model;

import java.util.Map;

/**
 * A pod already holding resources on a node. {@code gpuDevices} are the device indexes it holds,
 * each at {@code gpu.milliEach()}; empty when it has no GPU.
 */
public record PlacedPod(String id, Amounts amounts, GpuRequest gpu, int[] gpuDevices, int priority,
                        Map<String, String> labels) {
    public PlacedPod {
        labels = Map.copyOf(labels);
        gpuDevices = gpuDevices.clone();
        if (gpuDevices.length != gpu.count()) {
            throw new IllegalArgumentException("pod " + id + " holds " + gpuDevices.length + " devices but asks for " + gpu.count());
        }
    }

    public static PlacedPod simple(String id, long cpuMillis, long memoryBytes) {
        return new PlacedPod(id, Amounts.of(cpuMillis, memoryBytes), GpuRequest.NONE, new int[0], 0, Map.of());
    }

    @Override
    public int[] gpuDevices() {
        return gpuDevices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlacedPod p && id.equals(p.id) && amounts.equals(p.amounts) && gpu.equals(p.gpu)
                && java.util.Arrays.equals(gpuDevices, p.gpuDevices) && priority == p.priority && labels.equals(p.labels);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
