package io.farget.common;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The single place where domain errors become gRPC statuses and back. Nothing else in Farget
 * inspects error message text to decide what happened.
 */
public final class GrpcErrors {
    /** Trailer carrying the leader's address on a NOT_LEADER failure, so clients can follow it. */
    public static final Metadata.Key<String> LEADER_KEY =
            Metadata.Key.of("farget-leader", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {}

    public static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (error instanceof FargetException fe) {
            Status status = switch (fe.code()) {
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
                case NOT_LEADER -> Status.FAILED_PRECONDITION;
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
                case INTERNAL -> Status.INTERNAL;
            };
            Metadata trailers = new Metadata();
            if (fe instanceof NotLeaderException nle && nle.leaderAddress() != null) {
                trailers.put(LEADER_KEY, nle.leaderAddress());
            }
            return status.withDescription(fe.getMessage()).asRuntimeException(trailers);
        }
        return Status.INTERNAL.withDescription(String.valueOf(error.getMessage())).withCause(error).asRuntimeException();
    }

    /** The leader address a NOT_LEADER failure points at, or null. */
    public static String leaderHint(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        return trailers == null ? null : trailers.get(LEADER_KEY);
    }
}
