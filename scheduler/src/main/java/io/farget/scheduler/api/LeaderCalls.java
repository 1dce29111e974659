package io.farget.scheduler.api;

import io.farget.common.ErrorCode;
import io.farget.common.FargetException;
import io.farget.scheduler.control.LeaderLoop;
import io.farget.scheduler.leader.LeaderTerm;
import io.farget.scheduler.leader.Leadership;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs leader-only work on the current term. A term that ends under the call (ZooKeeper suspended,
 * fenced by a newer leader) answers as a standby would: NOT_LEADER naming the new leader, or
 * UNAVAILABLE when ZooKeeper is out of reach. The client then retries elsewhere with the same
 * request id, so work stored just before the term ended is not done twice.
 */
final class LeaderCalls {
    private LeaderCalls() {}

    static <T> T onLeader(Leadership leadership, Function<LeaderTerm, T> work) {
        LeaderTerm term = leadership.requireLeader();
        try {
            return work.apply(term);
        } catch (FargetException e) {
            throw asStandby(leadership, term, e);
        }
    }

    /** As {@link #onLeader}, for work that answers later; its failure is mapped the same way. */
    static <T> CompletableFuture<T> onLeaderLater(Leadership leadership, Function<LeaderTerm, CompletableFuture<T>> work) {
        LeaderTerm term = leadership.requireLeader();
        CompletableFuture<T> answer;
        try {
            answer = work.apply(term);
        } catch (FargetException e) {
            throw asStandby(leadership, term, e);
        }
        CompletableFuture<T> mapped = new CompletableFuture<>();
        answer.whenComplete((result, failure) -> {
            if (failure == null) {
                mapped.complete(result);
                return;
            }
            // Off the completing thread (the leader loop, or whatever ended the term): naming the new
            // leader may read ZooKeeper.
            CompletableFuture.runAsync(() -> {
                RuntimeException e = LeaderLoop.failure(failure);
                mapped.completeExceptionally(e instanceof FargetException fe ? asStandby(leadership, term, fe) : e);
            });
        });
        return mapped;
    }

    private static RuntimeException asStandby(Leadership leadership, LeaderTerm term, FargetException e) {
        boolean termEnded = term.isClosed() || leadership.current().filter(t -> t == term).isEmpty();
        if (e.code() == ErrorCode.NOT_LEADER || (e.code() == ErrorCode.UNAVAILABLE && termEnded)) {
            return leadership.notLeaderFailure();
        }
        return e;
    }
}
