package io.farget.placement.model;

import java.util.List;
import java.util.Map;

/**
 * What placement knows of one node: its size, its attributes, whether it takes new pods, and the
 * pods already on it (their sizes, GPU devices, priorities and labels: preemption and spreading
 * need them).
 *
 * @param gpuCount how many GPU devices it has (each 1000 milli); {@code gpuModel} is "" without GPUs
 */
public record NodeView(String id, Architecture arch, Map<String, String> labels, Amounts capacity,
                       int gpuCount, String gpuModel, Condition condition, List<PlacedPod> pods) {
    public NodeView {
        labels = Map.copyOf(labels);
        pods = List.copyOf(pods);
        gpuModel = gpuModel == null ? "" : gpuModel;
    }

    /** A CPU-and-memory node with no labels or GPUs. */
    public static NodeView simple(String id, Architecture arch, long cpuMillis, long memoryBytes, Condition condition,
                                  List<PlacedPod> pods) {
        return new NodeView(id, arch, Map.of(), Amounts.of(cpuMillis, memoryBytes), 0, "", condition, pods);
    }
}
