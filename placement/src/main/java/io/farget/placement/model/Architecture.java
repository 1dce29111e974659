package io.farget.placement.model;

/** A CPU architecture as placement sees it; {@link #ANY} is only meaningful for a pod. */
public enum Architecture {
    X86_64,
    AARCH64,
    ANY;

    /** Whether a pod asking for this architecture may run on a node of {@code node}. */
    public boolean runsOn(Architecture node) {
        return this == ANY || this == node;
    }
}
