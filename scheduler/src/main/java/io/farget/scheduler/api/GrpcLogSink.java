package io.farget.scheduler.api;

import com.google.protobuf.ByteString;
import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.proto.v1.LogChunk;
import io.farget.scheduler.control.LogSink;
import io.grpc.stub.StreamObserver;

/** A client's GetLogs stream as a {@link LogSink}. */
final class GrpcLogSink implements LogSink {
    private final StreamObserver<LogChunk> out;

    GrpcLogSink(StreamObserver<LogChunk> out) {
        this.out = out;
    }

    @Override
    public synchronized void chunk(ByteString data) {
        out.onNext(LogChunk.newBuilder().setData(data).build());
    }

    @Override
    public synchronized void end() {
        out.onCompleted();
    }

    @Override
    public synchronized void fail(FargetException why) {
        out.onError(GrpcErrors.toStatus(why));
    }
}
