package io.farget.agent.logs;

import io.farget.agent.task.PodSupervisor;
import io.farget.agent.task.PodView;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.LogRequest;
import io.farget.sandbox.SandboxRuntime;
import io.farget.common.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Serves the leader's log requests from the runtime's log files. Each request is a {@link LogTail}
 * that reads on the worker pool and waits (on the shared timer, not a thread) for flow control or
 * for more output when following.
 */
public final class LogService {
    private final PodSupervisor pods;
    private final SandboxRuntime runtime;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final Duration pollEvery;
    private final Map<String, LogTail> active = new ConcurrentHashMap<>();

    public LogService(PodSupervisor pods, SandboxRuntime runtime, ScheduledExecutorService timer, Executor workers, Duration pollEvery) {
        this.pods = pods;
        this.runtime = runtime;
        this.timer = timer;
        this.workers = workers;
        this.pollEvery = pollEvery;
    }

    public void serve(LogRequest request, LogSink sink) {
        Optional<PodView> pod = pods.find(request.getPodId());
        String container = !request.getContainer().isEmpty()
                ? request.getContainer()
                : pod.map(PodView::firstContainer).orElse("");
        if (container.isEmpty()) {
            sink.send(LogData.newBuilder().setRequestId(request.getRequestId()).setEof(true)
                    .setError("pod " + request.getPodId() + " is not on node " + pods.nodeId()).build());
            return;
        }
        Path file = runtime.logFile(request.getPodId(), container);
        List<LogStart.Segment> segments;
        try {
            segments = LogStart.find(file, request.getTailLines(),
                    request.hasSince() ? Timestamps.toInstant(request.getSince()) : null);
        } catch (IOException e) {
            sink.send(LogData.newBuilder().setRequestId(request.getRequestId()).setEof(true)
                    .setError("cannot read the log of pod " + request.getPodId() + ": " + e.getMessage()).build());
            return;
        }
        LogTail tail = new LogTail(request, container, segments, sink, this);
        LogTail previous = active.put(request.getRequestId(), tail);
        if (previous != null) {
            previous.cancel();
        }
        tail.runOn(workers);
    }

    public void cancel(String requestId) {
        LogTail tail = active.remove(requestId);
        if (tail != null) {
            tail.cancel();
        }
    }

    /** Ends every request (their stream is gone). */
    public void cancelAll() {
        active.keySet().forEach(this::cancel);
    }

    boolean podEnded(String podId) {
        return pods.find(podId).map(PodView::terminal).orElse(true);
    }

    void finished(LogTail tail) {
        active.remove(tail.requestId(), tail);
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Executor workers() {
        return workers;
    }

    Duration pollEvery() {
        return pollEvery;
    }
}
