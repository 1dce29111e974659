package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.farget.scheduler.control.LeaderLoop;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an endpoint's body and maps its failure through {@link GrpcErrors}, the one mapping. */
final class Calls {
    private static final Logger log = LoggerFactory.getLogger(Calls.class);

    private Calls() {}

    static <T> void unary(StreamObserver<T> observer, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            fail(observer, e);
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    /**
     * As {@link #unary}, for a body that answers later: no thread waits for the future; the answer
     * (or its failure, mapped by {@link LeaderLoop#failure}) is serialized and sent on {@code sender},
     * not on the thread that completes it (the leader loop, whose time is the cluster's throughput).
     */
    static <T> void unaryLater(StreamObserver<T> observer, Executor sender, Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> answer;
        try {
            answer = body.get();
        } catch (RuntimeException e) {
            fail(observer, e);
            return;
        }
        answer.whenCompleteAsync((result, failure) -> {
            if (failure != null) {
                fail(observer, LeaderLoop.failure(failure));
            } else {
                observer.onNext(result);
                observer.onCompleted();
            }
        }, sender);
    }

    static void fail(StreamObserver<?> observer, RuntimeException e) {
        if (e instanceof FargetException fe) {
            log.debug("Call refused: {} {}", fe.code(), fe.getMessage()); // a caller's mistake or a redirect
        } else {
            log.warn("Call failed unexpectedly", e);
        }
        observer.onError(RetryHints.mark(e, GrpcErrors.toStatus(e)));
    }
}
