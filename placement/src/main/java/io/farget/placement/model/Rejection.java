package io.farget.placement.model;

/**
 * Why one node cannot take one pod, in the words "why pending" messages use. {@code permanent}
 * causes do not go away by waiting for other pods to finish (the node is the wrong kind or too small).
 */
public enum Rejection {
    NOT_READY("node not ready", false),
    CORDONED("node cordoned", false),
    DRAINING("node draining", false),
    WRONG_ARCHITECTURE("wrong architecture", true),
    LABEL_MISMATCH("node labels do not match", true),
    GPU_MODEL("wrong GPU model", true),
    SPREAD("too many replicas on node", false),
    ANTI_AFFINITY("anti-affinity", false),
    INSUFFICIENT_CPU("insufficient cpu", false),
    INSUFFICIENT_MEMORY("insufficient memory", false),
    INSUFFICIENT_DISK("insufficient ephemeral disk", false),
    INSUFFICIENT_GPU("insufficient gpu", false),
    INSUFFICIENT_EXTENDED("insufficient extended resource", false),
    /** Used to decide that waiting cannot help; explanations name the short dimensions instead. */
    TOO_SMALL("node too small even when empty", true);

    private final String description;
    private final boolean permanent;

    Rejection(String description, boolean permanent) {
        this.description = description;
        this.permanent = permanent;
    }

    public String description() {
        return description;
    }

    public boolean permanent() {
        return permanent;
    }
}
