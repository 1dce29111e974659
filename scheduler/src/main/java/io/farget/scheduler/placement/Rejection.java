package io.farget.scheduler.placement;

/** Why one node cannot take one pod, in the words "why pending" messages use. */
public enum Rejection {
    NOT_READY("node not ready"),
    WRONG_ARCHITECTURE("wrong architecture"),
    INSUFFICIENT_CPU("insufficient cpu"),
    INSUFFICIENT_MEMORY("insufficient memory");

    private final String description;

    Rejection(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
