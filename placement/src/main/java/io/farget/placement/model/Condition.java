package io.farget.placement.model;

/** Whether a node takes new pods: only {@link #READY} does. */
public enum Condition {
    READY,
    CORDONED,
    DRAINING,
    NOT_READY
}
