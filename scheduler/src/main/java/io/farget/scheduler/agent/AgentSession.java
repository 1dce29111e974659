package io.farget.scheduler.agent;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.control.AgentEvents;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.node.AgentChannel;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's stream: turns its messages into {@link AgentEvents} and carries the leader's commands
 * back, each stamped with the term's epoch. The first message must be a Register.
 */
final class AgentSession implements StreamObserver<AgentMessage>, AgentChannel {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

    private final LeaderTerm term;
    private final AgentEvents events;
    private final ServerCallStreamObserver<SchedulerMessage> out;
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean closed; // guarded by this
    private volatile String nodeId;

    AgentSession(LeaderTerm term, ServerCallStreamObserver<SchedulerMessage> out) {
        this.term = term;
        this.events = term.agents();
        this.out = out;
        out.setOnCancelHandler(() -> {
            synchronized (this) {
                closed = true;
            }
            ended();
        });
    }

    @Override
    public void onNext(AgentMessage message) {
        if (term.isClosed()) {
            close(new NotLeaderException(null));
            return;
        }
        if (nodeId == null) {
            if (!message.hasRegister()) {
                close(new FargetException(ErrorCode.FAILED_PRECONDITION, "the first message must be a Register"));
                return;
            }
            if (message.getRegister().getHighestEpochSeen() > term.epoch()) {
                // The agent has heard from a newer leader than us: we are deposed and must not command it.
                close(new NotLeaderException(null));
                return;
            }
            nodeId = message.getRegister().getNodeId();
            log.debug("Agent stream of node {} open", nodeId);
            events.registered(this, message.getRegister());
            return;
        }
        switch (message.getBodyCase()) {
            case HEARTBEAT -> events.heartbeat(nodeId);
            case POD_REPORT -> events.report(nodeId, message.getPodReport());
            case USAGE -> events.usage(nodeId, message.getUsage());
            case LOG_DATA -> events.logData(nodeId, message.getLogData());
            case EXEC_OUTPUT -> term.execs().output(nodeId, message.getExecOutput());
            case EXEC_EXIT -> term.execs().exited(nodeId, message.getExecExit());
            case REGISTER -> close(new FargetException(ErrorCode.FAILED_PRECONDITION, "Register may only come first"));
            default -> log.debug("Ignoring an empty message from node {}", nodeId);
        }
    }

    @Override
    public void onError(Throwable t) {
        log.debug("Agent stream of node {} failed: {}", nodeId, t.toString());
        synchronized (this) {
            closed = true;
        }
        ended();
    }

    /**
     * The agent half-closed (a graceful stop). Complete our side only once the leader loop has
     * handled everything the agent sent before, so the agent knows its last reports were applied.
     */
    @Override
    public void onCompleted() {
        events.afterPending(() -> {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    out.onCompleted();
                }
            }
            ended();
        });
    }

    @Override
    public synchronized void send(SchedulerMessage.Builder message) {
        if (closed) {
            return;
        }
        try {
            out.onNext(message.setEpoch(term.epoch()).build());
        } catch (RuntimeException e) {
            log.debug("Agent stream of node {} refused a message: {}", nodeId, e.toString());
        }
    }

    @Override
    public void close(FargetException why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.onError(GrpcErrors.toStatus(why));
            } catch (RuntimeException e) {
                log.debug("Agent stream of node {} already gone: {}", nodeId, e.toString());
            }
        }
        ended();
    }

    private void ended() {
        if (ended.compareAndSet(false, true) && nodeId != null) {
            term.execs().nodeGone(nodeId);
            events.closed(nodeId, this);
        }
    }
}
