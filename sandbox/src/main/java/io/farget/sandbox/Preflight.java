package io.farget.sandbox;

/** Whether this host can run real sandboxes, and a sentence saying why (not) for the agent's log. */
public record Preflight(boolean ok, String message) {
    public static Preflight ready(String message) {
        return new Preflight(true, message);
    }

    public static Preflight notReady(String message) {
        return new Preflight(false, message);
    }
}
