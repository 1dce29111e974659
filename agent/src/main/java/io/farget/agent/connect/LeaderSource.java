package io.farget.agent.connect;

/** Tells the connector which scheduler to dial next. */
public interface LeaderSource extends AutoCloseable {

    /** HOST:PORT to try next, or null when no leader is known right now. */
    String next();

    /** Registers the one callback run when the source learns of a new leader (so the agent moves at once). */
    default void onChange(Runnable callback) {}

    @Override
    default void close() {}
}
