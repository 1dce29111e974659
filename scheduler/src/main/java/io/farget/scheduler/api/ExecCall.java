package io.farget.scheduler.api;

import com.google.protobuf.ByteString;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.ExecRequest;
import io.farget.proto.v1.ExecResponse;
import io.farget.scheduler.control.ExecRelay;
import io.farget.scheduler.control.ExecSink;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One client's Exec stream: the first request starts the command through the leader's
 * {@link ExecRelay}, later ones carry stdin; output and the exit code go back on the stream. A client
 * that goes away cancels the command.
 */
final class ExecCall implements StreamObserver<ExecRequest>, ExecSink {
    private final Leadership leadership;
    private final ServerCallStreamObserver<ExecResponse> out;
    private ExecRelay relay; // set by the first request, on gRPC's serialized callbacks
    private volatile String execId;
    private boolean done; // guarded by this

    ExecCall(Leadership leadership, ServerCallStreamObserver<ExecResponse> out) {
        this.leadership = leadership;
        this.out = out;
        out.setOnCancelHandler(this::cancel);
    }

    @Override
    public void onNext(ExecRequest request) {
        try {
            if (relay == null) {
                if (!request.hasStart()) {
                    throw FargetException.invalid("start", "the first exec request must be a start");
                }
                LeaderTerm term = leadership.current()
                        .orElseThrow(() -> new NotLeaderException(leadership.leaderAddress().orElse(null)));
                relay = term.execs();
                execId = relay.open(request.getStart(), this);
                return;
            }
            switch (request.getBodyCase()) {
                case STDIN -> relay.stdin(execId, request.getStdin(), false);
                case STDIN_EOF -> relay.stdin(execId, ByteString.EMPTY, true);
                case RESIZE -> relay.resize(execId, request.getResize());
                default -> { }
            }
        } catch (RuntimeException e) {
            fail(e instanceof FargetException fe ? fe : new FargetException(io.farget.common.ErrorCode.INTERNAL, e.getMessage()), e);
        }
    }

    @Override
    public void onError(Throwable t) {
        cancel();
    }

    @Override
    public void onCompleted() {
        if (relay != null && execId != null) {
            relay.stdin(execId, ByteString.EMPTY, true); // the client closed its side: stdin ends
        }
    }

    private void cancel() {
        if (relay != null && execId != null) {
            relay.cancel(execId);
        }
    }

    @Override
    public synchronized void stdout(ByteString data) {
        if (!done) {
            out.onNext(ExecResponse.newBuilder().setStdout(data).build());
        }
    }

    @Override
    public synchronized void stderr(ByteString data) {
        if (!done) {
            out.onNext(ExecResponse.newBuilder().setStderr(data).build());
        }
    }

    @Override
    public synchronized void exited(int exitCode) {
        if (!done) {
            done = true;
            out.onNext(ExecResponse.newBuilder().setExitCode(exitCode).build());
            out.onCompleted();
        }
    }

    @Override
    public void fail(FargetException why) {
        fail(why, null);
    }

    private synchronized void fail(Throwable why, Throwable cause) {
        if (!done) {
            done = true;
            out.onError(GrpcErrors.toStatus(why));
        }
    }
}
