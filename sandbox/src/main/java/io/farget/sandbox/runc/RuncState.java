package io.farget.sandbox.runc;

/** What {@code runc state} says of a container: its init's host pid and "created", "running" or "stopped". */
public record RuncState(String id, int pid, String status) {
    public boolean running() {
        return "running".equals(status);
    }
}
