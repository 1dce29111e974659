package io.farget.bench.cluster;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client channels to every scheduler replica, used the way the CLI does: try one, and on
 * UNAVAILABLE or "not leader" move on to the next. Retried writes carry the same request id.
 */
final class Leaders implements AutoCloseable {
    private final List<String> addresses;
    private final List<ManagedChannel> channels;
    private volatile int preferred;

    Leaders(List<String> addresses) {
        this.addresses = List.copyOf(addresses);
        this.channels = addresses.stream()
                // The watch's callbacks only note a time in a map: they run on the transport's
                // thread instead of being handed to an executor thread per message (two per pod).
                .map(a -> ManagedChannelBuilder.forTarget(a).usePlaintext().directExecutor().build())
                .toList();
    }

    /** The channel believed to reach the leader. */
    ManagedChannel current() {
        return channels.get(preferred);
    }

    /** The call on {@code used} failed: whether to retry, after moving on to another replica when it is no leader. */
    boolean shouldRetry(ManagedChannel used, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        boolean retry = code == Status.Code.UNAVAILABLE || code == Status.Code.FAILED_PRECONDITION
                || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED;
        if (retry && channels.get(preferred) == used && channels.size() > 1) {
            preferred = (preferred + 1) % channels.size();
        }
        return retry;
    }

    List<String> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
