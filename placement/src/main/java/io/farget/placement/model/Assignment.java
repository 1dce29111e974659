package io.farget.placement.model;

import java.util.Arrays;

/** The decision to run one pod on one node, on these GPU devices (empty without GPUs). */
public record Assignment(String podId, String nodeId, int[] gpuDevices) {
    public Assignment {
        gpuDevices = gpuDevices.clone();
    }

    public Assignment(String podId, String nodeId) {
        this(podId, nodeId, new int[0]);
    }

    @Override
    public int[] gpuDevices() {
        return gpuDevices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && podId.equals(a.podId) && nodeId.equals(a.nodeId)
                && Arrays.equals(gpuDevices, a.gpuDevices);
    }

    @Override
    public int hashCode() {
        return podId.hashCode() * 31 + nodeId.hashCode();
    }

    @Override
    public String toString() {
        return podId + "->" + nodeId + (gpuDevices.length == 0 ? "" : Arrays.toString(gpuDevices));
    }
}
