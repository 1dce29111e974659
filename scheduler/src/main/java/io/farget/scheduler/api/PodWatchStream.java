package io.farget.scheduler.api;

import io.farget.common.GrpcErrors;
import io.farget.common.NotLeaderException;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodEvent;
import io.farget.scheduler.state.PodListener;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One WatchPods stream. Changes are noted on the leader loop, which only records the pod's newest
 * version; they are serialized and sent on {@code sender} as fast as the client takes them (gRPC
 * flow control). A slow watcher therefore neither slows the loop nor makes the leader buffer
 * without bound: while it lags, each pod waits once, and it gets that pod's newest version rather
 * than every step (what an informer would keep anyway). Pods are sent in the order they first
 * changed since the last send.
 */
final class PodWatchStream implements PodListener {
    private final ServerCallStreamObserver<PodEvent> out;
    private final String wanted;
    private final Executor sender;
    // Guarded by this.
    private final Map<String, Pod> unsent = new LinkedHashMap<>();
    private boolean sending;
    private boolean ended;
    private boolean finished;

    PodWatchStream(ServerCallStreamObserver<PodEvent> out, String wanted, Executor sender) {
        this.out = out;
        this.wanted = wanted;
        this.sender = sender;
        out.setOnReadyHandler(this::wake);
    }

    @Override
    public void changed(Pod pod) {
        if (!wanted.isEmpty() && !wanted.equals(pod.getId())) {
            return;
        }
        synchronized (this) {
            if (ended) {
                return;
            }
            unsent.put(pod.getId(), pod); // a pod already waiting keeps its place and takes the newer version
        }
        wake();
    }

    /** Leadership ended: what is queued goes out first, then the stream ends so the client re-watches. */
    @Override
    public void closed() {
        synchronized (this) {
            ended = true;
        }
        wake();
    }

    private void wake() {
        synchronized (this) {
            if (sending) {
                return;
            }
            sending = true;
        }
        sender.execute(this::send);
    }

    private void send() {
        while (true) {
            Pod next;
            synchronized (this) {
                if (finished || out.isCancelled()) {
                    unsent.clear();
                    sending = false;
                    return;
                }
                if (unsent.isEmpty()) {
                    sending = false;
                    if (ended) {
                        finished = true;
                        out.onError(GrpcErrors.toStatus(new NotLeaderException(null)));
                    }
                    return;
                }
                if (!out.isReady()) {
                    sending = false; // the ready handler wakes us when the client has room
                    return;
                }
                Iterator<Pod> oldest = unsent.values().iterator();
                next = oldest.next();
                oldest.remove();
            }
            out.onNext(PodEvent.newBuilder().setPod(next).build());
        }
    }
}
