package io.farget.cli.client;

import io.farget.cli.CliFailure;
import io.farget.common.GrpcErrors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to whichever scheduler replica will answer. Tries the given addresses in order, moves on
 * when one is unreachable, and follows a standby's {@code farget-leader} hint once. Callers make a
 * write safe to repeat by putting one request id into the request before the first attempt.
 *
 * <p>Channels open lazily (a command that fails before talking to anyone never dials) and close
 * with {@link #close()}.
 */
public final class SchedulerClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerClient.class);

    private final List<ServerAddress> servers;
    private final Function<ServerAddress, ManagedChannel> channelFactory;
    private final Map<ServerAddress, ManagedChannel> channels = new LinkedHashMap<>();

    public SchedulerClient(List<ServerAddress> servers) {
        this(servers, SchedulerClient::plaintextChannel);
    }

    SchedulerClient(List<ServerAddress> servers, Function<ServerAddress, ManagedChannel> channelFactory) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no scheduler address");
        }
        this.servers = List.copyOf(servers);
        this.channelFactory = channelFactory;
    }

    /**
     * Runs {@code call} against the first scheduler that answers it.
     *
     * @param deadline how long one attempt may take; null for none (log following)
     * @throws CliFailure when no replica could serve the call, or the one that did refused it
     */
    public <T> T call(Duration deadline, Function<Stubs, T> call) {
        List<ServerAddress> candidates = new ArrayList<>(servers);
        Set<ServerAddress> unreachable = new LinkedHashSet<>();
        StatusRuntimeException serverSaidUnavailable = null;
        boolean followedLeader = false;
        for (int i = 0; i < candidates.size(); i++) {
            ServerAddress server = candidates.get(i);
            try {
                return call.apply(new Stubs(channel(server), deadline));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                String leader = GrpcErrors.leaderHint(e);
                if (code == Status.Code.UNAVAILABLE) {
                    log.debug("scheduler {} unavailable: {}", server, e.getStatus());
                    unreachable.add(server);
                    // A status the server itself sent has no local cause; a failed connection has one.
                    if (e.getCause() == null && e.getStatus().getDescription() != null) {
                        serverSaidUnavailable = e;
                    }
                } else if (code == Status.Code.FAILED_PRECONDITION && leader != null && !followedLeader) {
                    followedLeader = true;
                    ServerAddress target = parseLeader(leader, e);
                    log.debug("scheduler {} is not the leader; following it to {}", server, target);
                    candidates.add(i + 1, target);
                } else {
                    throw failure(server, e, deadline);
                }
            }
        }
        if (serverSaidUnavailable != null) {
            throw new CliFailure(serverSaidUnavailable.getStatus().getDescription(), serverSaidUnavailable);
        }
        throw new CliFailure("cannot reach scheduler at " + join(unreachable) + " (is `farget dev` running?)");
    }

    private static ServerAddress parseLeader(String leader, StatusRuntimeException e) {
        try {
            return ServerAddress.parse(leader);
        } catch (IllegalArgumentException bad) {
            throw new CliFailure("the scheduler named an unusable leader address: " + bad.getMessage(), e);
        }
    }

    private static CliFailure failure(ServerAddress server, StatusRuntimeException e, Duration deadline) {
        Status status = e.getStatus();
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && deadline != null) {
            String limit = deadline.toMillis() % 1000 == 0 ? deadline.toSeconds() + " s" : deadline.toMillis() + " ms";
            return new CliFailure("scheduler at " + server + " did not answer within " + limit, e);
        }
        String description = status.getDescription();
        return new CliFailure(description == null || description.isBlank()
                ? status.getCode().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (from " + server + ")"
                : description, e);
    }

    private ManagedChannel channel(ServerAddress server) {
        return channels.computeIfAbsent(server, channelFactory);
    }

    private static ManagedChannel plaintextChannel(ServerAddress server) {
        return NettyChannelBuilder.forAddress(server.host(), server.port()).usePlaintext().build();
    }

    private static String join(Set<ServerAddress> servers) {
        return servers.stream().map(ServerAddress::toString).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
