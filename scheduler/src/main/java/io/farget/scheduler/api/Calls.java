package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.GrpcErrors;
import io.grpc.stub.StreamObserver;
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

    static void fail(StreamObserver<?> observer, RuntimeException e) {
        if (e instanceof FargetException fe) {
            log.debug("Call refused: {} {}", fe.code(), fe.getMessage()); // a caller's mistake or a redirect
        } else {
            log.warn("Call failed unexpectedly", e);
        }
        observer.onError(RetryHints.mark(e, GrpcErrors.toStatus(e)));
    }
}
