package io.farget.agent.state;

import com.google.protobuf.MessageLite;

/**
 * A message kept by the journal with its protobuf encoding, made at the first write that needs it
 * and then reused: the journal is rewritten every sampling round, but most of what it holds (final
 * reports, the counters of ended pods, unsent samples) does not change between writes, and a
 * sample replaced before the next write is never encoded at all. Thread-safe: two writers racing
 * on a fresh message both encode it, to the same bytes.
 */
final class Encoded<M extends MessageLite> {
    private final M message;
    private volatile byte[] bytes;

    private Encoded(M message, byte[] bytes) {
        this.message = message;
        this.bytes = bytes;
    }

    static <M extends MessageLite> Encoded<M> of(M message) {
        return new Encoded<>(message, null);
    }

    /** A message read back from its encoding, which is kept. */
    static <M extends MessageLite> Encoded<M> read(M message, byte[] bytes) {
        return new Encoded<>(message, bytes);
    }

    M message() {
        return message;
    }

    byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = message.toByteArray();
            bytes = b;
        }
        return b;
    }
}
