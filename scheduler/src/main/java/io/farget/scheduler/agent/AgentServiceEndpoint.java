package io.farget.scheduler.agent;

import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.AgentMessage;
import io.farget.proto.v1.AgentServiceGrpc;
import io.farget.proto.v1.SchedulerMessage;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * AgentService.Connect (docs/agent-protocol.md): each stream becomes an {@link AgentSession} bound
 * to the current leadership term. A standby answers FAILED_PRECONDITION with the leader's address
 * in the {@code farget-leader} trailer.
 */
public final class AgentServiceEndpoint extends AgentServiceGrpc.AgentServiceImplBase {
    private final Leadership leadership;

    public AgentServiceEndpoint(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<SchedulerMessage> responseObserver) {
        Optional<LeaderTerm> term = leadership.current();
        if (term.isEmpty()) {
            responseObserver.onError(GrpcErrors.toStatus(new NotLeaderException(leadership.leaderAddress().orElse(null))));
            return new Ignored();
        }
        return new AgentSession(term.get(), (ServerCallStreamObserver<SchedulerMessage>) responseObserver);
    }

    /** Swallows what a refused agent still sends before it sees the error. */
    private static final class Ignored implements StreamObserver<AgentMessage> {
        @Override
        public void onNext(AgentMessage value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
