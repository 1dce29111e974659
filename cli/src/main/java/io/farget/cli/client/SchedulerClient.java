package io.farget.cli.client;

import io.farget.cli.CliFailure;
import io.farget.common.GrpcErrors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to whichever scheduler replica will answer. Tries the given addresses in order, moves on
 * when one is unreachable, and follows a standby's {@code farget-leader} hint. While a failover is
 * visibly under way (the named leader is dead, or a replica says an election is running) it passes
 * over the replicas again after short pauses, for up to {@link #FAILOVER_PATIENCE}, so a command
 * survives the leader dying under it. Callers make a write safe to repeat by putting one request id
 * into the request before the first attempt.
 *
 * <p>Channels open lazily (a command that fails before talking to anyone never dials) and close
 * with {@link #close()}.
 */
public final class SchedulerClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerClient.class);
    /**
     * How long to wait for a new leader: well over the scheduler's default 3 s ZooKeeper session
     * plus takeover, and over a 4 s session (ZooKeeper's default tickTime allows no less).
     */
    public static final Duration FAILOVER_PATIENCE = Duration.ofSeconds(15);

    private final List<ServerAddress> servers;
    private final Function<ServerAddress, ManagedChannel> channelFactory;
    private final Duration patience;
    private final Map<ServerAddress, ManagedChannel> channels = new LinkedHashMap<>();

    public SchedulerClient(List<ServerAddress> servers) {
        this(servers, SchedulerClient::plaintextChannel, FAILOVER_PATIENCE);
    }

    SchedulerClient(List<ServerAddress> servers, Function<ServerAddress, ManagedChannel> channelFactory, Duration patience) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no scheduler address");
        }
        this.servers = List.copyOf(servers);
        this.channelFactory = channelFactory;
        this.patience = patience;
    }

    /**
     * Runs {@code call} against the first scheduler that answers it.
     *
     * @param deadline how long one attempt may take; null for none (log following)
     * @throws CliFailure when no replica could serve the call, or the one that did refused it
     */
    public <T> T call(Duration deadline, Function<Stubs, T> call) {
        long start = System.nanoTime();
        for (int pass = 1; ; pass++) {
            FailoverRound round = new FailoverRound();
            Served<T> served = pass(deadline, call, round);
            if (served != null) {
                return served.value();
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            Duration pause = round.pauseBefore(pass);
            if (!round.failoverUnderWay() || waited.plus(pause).compareTo(patience) > 0) {
                throw round.failure(waited);
            }
            log.debug("failover under way; passing over the schedulers again in {} ms", pause.toMillis());
            sleep(pause);
        }
    }

    private record Served<T>(T value) {}

    /**
     * One pass over the replicas, following each leader they name once; null when none served the
     * call. A leader named by a replica that already refused us in this pass means the replicas
     * disagree (a redirect loop): that is reported as it is, not retried.
     */
    private <T> Served<T> pass(Duration deadline, Function<Stubs, T> call, FailoverRound round) {
        List<ServerAddress> candidates = new ArrayList<>(servers);
        Set<ServerAddress> tried = new HashSet<>();
        Set<ServerAddress> unreachable = new HashSet<>();
        Set<ServerAddress> named = new HashSet<>();
        Set<ServerAddress> redirecting = new HashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            ServerAddress server = candidates.get(i);
            if (!tried.add(server)) {
                continue;
            }
            try {
                return new Served<>(call.apply(new Stubs(channel(server), deadline)));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                String leader = GrpcErrors.leaderHint(e);
                Duration retryHint = RetryHints.of(e);
                if (code == Status.Code.UNAVAILABLE) {
                    // A status the server itself sent has no local cause; a failed connection has one.
                    if (e.getCause() == null && e.getStatus().getDescription() != null) {
                        log.debug("scheduler {} answered unavailable: {}", server, e.getStatus());
                        round.serverUnavailable(e, retryHint);
                    } else {
                        log.debug("scheduler {} unreachable: {}", server, e.getStatus());
                        unreachable.add(server);
                        round.unreachable(server, named.contains(server));
                    }
                } else if (code == Status.Code.FAILED_PRECONDITION && leader != null) {
                    ServerAddress target = parseLeader(leader, e);
                    named.add(target);
                    redirecting.add(server);
                    if (!tried.contains(target)) {
                        log.debug("scheduler {} is not the leader; following it to {}", server, target);
                        candidates.add(i + 1, target);
                    } else if (unreachable.contains(target)) {
                        round.unreachable(target, true); // named as leader, yet dead: its session has yet to expire
                    } else if (redirecting.contains(target)) {
                        throw failure(server, e, deadline); // a redirect loop: the replicas disagree
                    } else {
                        round.electionUnderWay(e, Duration.ZERO); // named as leader while it is still taking over
                    }
                } else if (retryHint != null) {
                    log.debug("scheduler {} says to retry in {} ms: {}", server, retryHint.toMillis(), e.getStatus());
                    round.electionUnderWay(e, retryHint);
                } else {
                    throw failure(server, e, deadline);
                }
            }
        }
        return null;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while waiting for a scheduler leader");
        }
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
