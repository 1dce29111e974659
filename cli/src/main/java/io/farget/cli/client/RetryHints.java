package io.farget.cli.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/** Reads gRPC's standard {@code RetryInfo} detail: the server's word that asking again soon will help. */
final class RetryHints {
    private RetryHints() {}

    /** The delay the server asked for, or null when the failure carries no retry hint. */
    static Duration of(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return null;
        }
        for (com.google.protobuf.Any detail : status.getDetailsList()) {
            if (detail.is(RetryInfo.class)) {
                try {
                    return Duration.ofMillis(Durations.toMillis(detail.unpack(RetryInfo.class).getRetryDelay()));
                } catch (InvalidProtocolBufferException bad) {
                    return null;
                }
            }
        }
        return null;
    }
}
