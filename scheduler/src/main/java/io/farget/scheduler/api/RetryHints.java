package io.farget.scheduler.api;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.RetryInfo;
import io.farget.common.NotLeaderException;
import io.farget.scheduler.leader.ZooKeeperOutage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * Marks failures that heal by themselves within seconds with gRPC's standard {@code RetryInfo}
 * detail, so clients know to retry them (and only them) instead of giving up: "no replica leads
 * right now" (the short gap of a leader election), and a ZooKeeper connection lost moments ago (most
 * likely a switch to another ensemble member). A longer ZooKeeper outage carries none: clients fail
 * fast with its message.
 */
final class RetryHints {
    /** How soon a client may ask again. */
    static final Duration RETRY_AFTER = Duration.ofMillis(200);

    private RetryHints() {}

    static StatusRuntimeException mark(RuntimeException cause, StatusRuntimeException status) {
        boolean electing = cause instanceof NotLeaderException notLeader && notLeader.leaderAddress() == null;
        boolean reconnecting = cause instanceof ZooKeeperOutage outage && outage.mayHealSoon();
        if (!electing && !reconnecting) {
            return status;
        }
        Status plain = status.getStatus();
        com.google.rpc.Status withDetail = com.google.rpc.Status.newBuilder()
                .setCode(plain.getCode().value())
                .setMessage(plain.getDescription() == null ? "" : plain.getDescription())
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(Durations.fromMillis(RETRY_AFTER.toMillis())).build()))
                .build();
        return StatusProto.toStatusRuntimeException(withDetail, status.getTrailers() == null ? new io.grpc.Metadata() : status.getTrailers());
    }
}
