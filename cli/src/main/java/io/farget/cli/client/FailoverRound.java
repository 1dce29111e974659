package io.farget.cli.client;

import io.farget.cli.CliFailure;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one pass over the replicas learned when none of them served the call, and whether it is
 * worth another pass: only while a failover is visibly under way, i.e. a replica named a leader that
 * does not answer (it died; ZooKeeper has yet to expire its session), or a replica said an election
 * is running (gRPC {@code RetryInfo}). Anything else (all replicas down, ZooKeeper out of reach) is
 * reported at once.
 */
final class FailoverRound {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(250);

    private final Set<ServerAddress> unreachable = new LinkedHashSet<>();
    private ServerAddress deadLeader;
    private StatusRuntimeException serverSaidUnavailable;
    private StatusRuntimeException electionUnderWay;
    private Duration retryAfter;

    /** {@code server} could not be reached; {@code namedAsLeader} when a replica had sent us there. */
    void unreachable(ServerAddress server, boolean namedAsLeader) {
        unreachable.add(server);
        if (namedAsLeader) {
            deadLeader = server;
        }
    }

    /** A replica answered UNAVAILABLE itself (e.g. it cannot reach ZooKeeper). */
    void serverUnavailable(StatusRuntimeException e, Duration retryHint) {
        serverSaidUnavailable = e;
        noteRetryHint(retryHint);
    }

    /** A replica said nobody leads right now and to ask again after {@code retryHint}. */
    void electionUnderWay(StatusRuntimeException e, Duration retryHint) {
        electionUnderWay = e;
        noteRetryHint(retryHint);
    }

    boolean failoverUnderWay() {
        return deadLeader != null || retryAfter != null;
    }

    /** How long to wait before pass number {@code pass} (1 for the second pass): short, growing, capped. */
    Duration pauseBefore(int pass) {
        Duration backoff = FIRST_PAUSE.multipliedBy(1L << Math.min(pass - 1, 8));
        if (backoff.compareTo(LONGEST_PAUSE) > 0) {
            backoff = LONGEST_PAUSE;
        }
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    /** The one-line failure to report after this pass; {@code waited} is how long passes went on. */
    CliFailure failure(Duration waited) {
        if (failoverUnderWay()) {
            String why = deadLeader != null
                    ? "the leader " + deadLeader + " does not answer"
                    : description(electionUnderWay != null ? electionUnderWay : serverSaidUnavailable);
            return new CliFailure("no scheduler took the call: " + why + ", and no new leader was elected within "
                    + waited.toSeconds() + " s");
        }
        if (serverSaidUnavailable != null) {
            return new CliFailure(description(serverSaidUnavailable), serverSaidUnavailable);
        }
        return new CliFailure("cannot reach scheduler at " + unreachable.stream().map(ServerAddress::toString)
                .collect(Collectors.joining(", ")) + " (is `farget dev` running?)");
    }

    private void noteRetryHint(Duration hint) {
        if (hint != null && (retryAfter == null || hint.compareTo(retryAfter) > 0)) {
            retryAfter = hint;
        }
    }

    private static String description(StatusRuntimeException e) {
        String d = e == null ? null : e.getStatus().getDescription();
        return d == null || d.isBlank() ? "no leader is elected yet" : d;
    }
}
