package io.farget.agent.connect;

import io.farget.common.GrpcErrors;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.SchedulerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Connect stream open to the leader, forever, until closed: asks the {@link LeaderSource}
 * where to dial, follows a standby's redirect (FAILED_PRECONDITION with a farget-leader trailer),
 * and after any failure waits out a {@link Backoff}. Uses the shared timer, never a thread of its own.
 * Connects and disconnects are logged at INFO once per change; individual retries at DEBUG.
 */
public final class LeaderConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderConnector.class);
    /** Redirects followed at once before backing off (two standbys pointing at each other must not spin). */
    static final int MAX_IMMEDIATE_REDIRECTS = 3;
    /** How long close() waits for the leader to confirm it has handled the agent's last messages. */
    static final Duration GRACEFUL_CLOSE = Duration.ofSeconds(3);

    private final LeaderSource source;
    private final StreamHandler handler;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Function<String, ManagedChannel> channels;
    private final AtomicLong seqs = new AtomicLong();

    // Guarded by this.
    private ManagedChannel channel;
    private String channelAddress;
    private Attempt current;
    private ScheduledFuture<?> pending;
    private String redirectTo;
    private int redirectsInARow;
    private boolean closed;
    private boolean failureLogged;
    private volatile boolean connected;

    public LeaderConnector(LeaderSource source, StreamHandler handler, ScheduledExecutorService timer,
                           Backoff backoff, Function<String, ManagedChannel> channels) {
        this.source = source;
        this.handler = handler;
        this.timer = timer;
        this.backoff = backoff;
        this.channels = channels;
    }

    /** Plain-text channels (the agent dials out; TLS is a later issue) that notice a dead link ({@link LinkTimeouts}). */
    public static ManagedChannel plaintextChannel(String address) {
        return LinkTimeouts.apply(NettyChannelBuilder.forTarget(address).usePlaintext()).build();
    }

    public void start() {
        source.onChange(this::leaderChanged);
        schedule(Duration.ZERO);
    }

    /** True while a stream is open and the leader has answered on it. */
    public boolean isConnected() {
        return connected;
    }

    private synchronized void schedule(Duration delay) {
        if (!closed) {
            pending = timer.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void attempt() {
        pending = null;
        if (closed || current != null) {
            return;
        }
        String address = redirectTo != null ? redirectTo : source.next();
        redirectTo = null;
        if (address == null) {
            noteFailure(null, "no leader is known yet");
            schedule(backoff.next());
            return;
        }
        log.debug("Connecting to scheduler {}", address);
        Attempt attempt = new Attempt(address);
        current = attempt;
        AgentServiceGrpc.newStub(channelFor(address)).connect(attempt);
        handler.opened(attempt.stream);
    }

    private ManagedChannel channelFor(String address) {
        if (channel != null && !address.equals(channelAddress)) {
            channel.shutdownNow();
            channel = null;
        }
        if (channel == null) {
            channel = channels.apply(address);
            channelAddress = address;
        } else if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // gRPC's own reconnect backoff grows to two minutes; ours (capped at a few seconds) decides
            // when to dial, so a link that heals is used within one of our delays, not one of gRPC's.
            channel.resetConnectBackoff();
        }
        return channel;
    }

    private void onMessage(Attempt attempt, SchedulerMessage message) {
        synchronized (this) {
            if (attempt != current) {
                return;
            }
            if (!attempt.answered) {
                attempt.answered = true;
                connected = true;
                failureLogged = false;
                redirectsInARow = 0;
                backoff.reset();
                log.info("Connected to leader {}", attempt.address);
            }
        }
        handler.received(message);
    }

    private void onEnd(Attempt attempt, Throwable error) {
        attempt.ended.countDown();
        synchronized (this) {
            if (attempt != current) {
                return;
            }
            current = null;
            attempt.stream.ended();
            boolean wasConnected = connected;
            connected = false;
            if (!closed) {
                schedule(nextDelay(attempt, error, wasConnected));
            }
        }
        handler.closed(attempt.stream);
    }

    /** Decides where and when to try next, and logs the change. Holds this. */
    private Duration nextDelay(Attempt attempt, Throwable error, boolean wasConnected) {
        Status status = error == null ? Status.UNAVAILABLE.withDescription("the leader closed the stream") : Status.fromThrowable(error);
        String hint = error instanceof StatusRuntimeException sre && status.getCode() == Status.Code.FAILED_PRECONDITION
                ? GrpcErrors.leaderHint(sre) : null;
        if (attempt.leaderChanged) {
            log.info("Leader changed; leaving {}", attempt.address);
            return Duration.ZERO;
        }
        if (wasConnected) {
            log.info("Disconnected from leader {}: {}; reconnecting", attempt.address, describe(status));
        }
        if (hint != null && !hint.equals(attempt.address)) {
            redirectTo = hint;
            log.debug("Scheduler {} is a standby; the leader is {}", attempt.address, hint);
            if (++redirectsInARow <= MAX_IMMEDIATE_REDIRECTS) {
                return Duration.ZERO;
            }
        }
        if (!wasConnected) {
            noteFailure(attempt.address, describe(status));
        }
        return backoff.next();
    }

    private void noteFailure(String address, String why) {
        if (!failureLogged) {
            failureLogged = true;
            log.info("No leader reachable yet ({}{}); retrying with backoff", address == null ? "" : address + ": ", why);
        } else {
            log.debug("Still no leader ({}{})", address == null ? "" : address + ": ", why);
        }
    }

    private static String describe(Status status) {
        String what = status.getDescription() == null ? status.getCode().toString() : status.getCode() + " " + status.getDescription();
        // gRPC says only "io exception" for a dropped connection; the cause says which (a dead link shows as "Connection timed out").
        return status.getCause() != null && status.getCause().getMessage() != null ? what + " (" + status.getCause().getMessage() + ")" : what;
    }

    /** A new leader is known: leave a stream to another address at once, or stop waiting out a backoff. */
    private synchronized void leaderChanged() {
        if (closed) {
            return;
        }
        String leader = source.next();
        redirectTo = null;
        redirectsInARow = 0;
        if (current != null) {
            if (leader != null && !leader.equals(current.address)) {
                current.leaderChanged = true;
                current.stream.cancel("leader changed to " + leader);
            }
        } else if (pending != null && leader != null) {
            pending.cancel(false);
            backoff.reset();
            schedule(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        finishGracefully();
        ManagedChannel toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connected = false;
            if (pending != null) {
                pending.cancel(false);
            }
            if (current != null) {
                current.stream.cancel("agent closing");
            }
            toClose = channel;
            channel = null;
        }
        source.close();
        if (toClose != null) {
            toClose.shutdownNow();
            try {
                toClose.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Half-closes an answered stream and waits (bounded) for the leader to complete its side, so
     * the last reports sent before stopping (pods killed at shutdown) are known to be applied.
     */
    private void finishGracefully() {
        Attempt attempt;
        synchronized (this) {
            attempt = closed || !connected ? null : current;
        }
        if (attempt != null && attempt.stream.finish()) {
            try {
                if (!attempt.ended.await(GRACEFUL_CLOSE.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.info("Leader {} did not confirm the end of the stream within {} ms", attempt.address, GRACEFUL_CLOSE.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One Connect call: its outbound half and its callbacks. */
    private final class Attempt implements ClientResponseObserver<AgentMessage, SchedulerMessage> {
        final String address;
        AgentStream stream;
        boolean answered;
        boolean leaderChanged;
        final CountDownLatch ended = new CountDownLatch(1);

        Attempt(String address) {
            this.address = address;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            stream = new AgentStream(requestStream, seqs, address);
            requestStream.setOnReadyHandler(stream::drain);
        }

        @Override
        public void onNext(SchedulerMessage message) {
            onMessage(this, message);
        }

        @Override
        public void onError(Throwable error) {
            onEnd(this, error);
        }

        @Override
        public void onCompleted() {
            onEnd(this, null);
        }
    }
}
