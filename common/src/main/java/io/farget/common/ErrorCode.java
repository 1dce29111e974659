package io.farget.common;

/** What kind of failure a {@link FargetException} is; {@link GrpcErrors} maps each to one gRPC status. */
public enum ErrorCode {
    /** The caller sent something wrong; the message names the field. */
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    /** This replica cannot serve the call (not the leader); the message says where to go. */
    NOT_LEADER,
    /** A dependency (ZooKeeper, the leader, an agent) is unreachable; retrying later may help. */
    UNAVAILABLE,
    /** The request is valid but the current state forbids it. */
    FAILED_PRECONDITION,
    INTERNAL
}
