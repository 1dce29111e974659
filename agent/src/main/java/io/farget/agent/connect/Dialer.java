package io.farget.agent.connect;

import io.grpc.ManagedChannel;

/**
 * Opens the channel a {@link LeaderConnector} dials the leader on; the connector shuts the channel
 * down when it moves to another address or closes. Hollow agents dial through channels built on one
 * shared Netty event loop group, which the channel's shutdown leaves running.
 */
@FunctionalInterface
public interface Dialer {
    ManagedChannel dial(String address);

    /** A plaintext channel of its own per address (the agent dials out; TLS is a later issue). */
    static Dialer plaintext() {
        return LeaderConnector::plaintextChannel;
    }
}
