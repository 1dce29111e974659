package io.farget.agent.connect;

import io.farget.proto.v1.AgentMessage;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of one stream to the leader, and the only way anything reaches it: gRPC's
 * observer is not thread-safe, so every write holds this object's monitor.
 *
 * <p>Nothing goes out before the Register ({@link #register}); what is sent earlier waits behind it.
 * Messages the transport cannot take yet wait in a bounded queue that drains when gRPC says it is
 * ready; if the queue overflows, the stream is cut instead: the reconnect's Register re-sends every
 * pod's latest state and usage counters are cumulative, so nothing that matters is lost.
 * Messages are numbered ({@code seq}) as they are written, so the numbers on the wire only grow.
 */
public final class AgentStream {
    private static final Logger log = LoggerFactory.getLogger(AgentStream.class);
    static final int MAX_QUEUED = 4096;

    private final ClientCallStreamObserver<AgentMessage> call;
    private final AtomicLong seqs;
    private final String address;
    private final ArrayDeque<AgentMessage.Builder> queue = new ArrayDeque<>();
    private boolean registered;
    private boolean closed;

    AgentStream(ClientCallStreamObserver<AgentMessage> call, AtomicLong seqs, String address) {
        this.call = call;
        this.seqs = seqs;
        this.address = address;
    }

    /** Sends the Register, then everything that waited for it. */
    public synchronized void register(AgentMessage.Builder register) {
        if (!closed && !registered) {
            queue.addFirst(register);
            registered = true;
            drain();
        }
    }

    /** Sends (or queues) the message; false when this stream is closed. */
    public synchronized boolean send(AgentMessage.Builder message) {
        if (closed) {
            return false;
        }
        if (registered && queue.isEmpty() && call.isReady()) {
            write(message);
            return true;
        }
        if (queue.size() >= MAX_QUEUED) {
            log.warn("Leader {} is not reading ({} messages waiting); reconnecting", address, queue.size());
            cancel("agent send queue overflow");
            return false;
        }
        queue.add(message);
        return true;
    }

    /** True when a send would go straight to the transport (for senders that can wait, like logs). */
    public synchronized boolean isReady() {
        return !closed && registered && queue.isEmpty() && call.isReady();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public String address() {
        return address;
    }

    synchronized void drain() {
        while (registered && !closed && !queue.isEmpty() && call.isReady()) {
            write(queue.poll());
        }
    }

    private void write(AgentMessage.Builder message) {
        call.onNext(message.setSeq(seqs.incrementAndGet()).build());
    }

    /**
     * Ends the stream gracefully: writes what is queued, then half-closes. The leader answers by
     * completing its side once it has handled everything sent before, which the connector waits for.
     * False when there was no registered stream to finish.
     */
    synchronized boolean finish() {
        if (closed || !registered) {
            return false;
        }
        while (!queue.isEmpty()) {
            write(queue.poll()); // gRPC buffers past its window; the queue is bounded by MAX_QUEUED
        }
        closed = true;
        call.onCompleted();
        return true;
    }

    /** Ends the stream from this side; gRPC then reports it closed to the connector. */
    synchronized void cancel(String why) {
        if (!closed) {
            closed = true;
            queue.clear();
            call.cancel(why, null);
        }
    }

    synchronized void ended() {
        closed = true;
        queue.clear();
    }
}
