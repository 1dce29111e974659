package io.farget.agent.logs;

import com.google.protobuf.ByteString;
import io.farget.proto.v1.LogData;
import io.farget.proto.v1.LogRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.farget.sandbox.ContainerLogFiles;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log request: reads the file from where it left off, at most 64 KiB per chunk, and ends with an
 * eof chunk. Following, it polls until the pod has ended and the file is drained. Each step runs on
 * the worker pool; waiting is a timer task, so a thousand tails cost no threads.
 */
final class LogTail implements Runnable {
    static final int CHUNK = 64 * 1024;
    private static final long NOT_READY_RETRY_MILLIS = 20;
    private static final Logger log = LoggerFactory.getLogger(LogTail.class);

    private final LogRequest request;
    private final String container;
    private final LogSink sink;
    private final LogService service;
    /** What is left to read, the live file last; {@code position} is in the first. */
    private final Deque<LogStart.Segment> segments;
    private Path file;
    private long position;
    private volatile boolean cancelled;

    LogTail(LogRequest request, String container, List<LogStart.Segment> segments, LogSink sink, LogService service) {
        this.request = request;
        this.container = container;
        this.segments = new ArrayDeque<>(segments);
        LogStart.Segment first = this.segments.removeFirst();
        this.file = first.file();
        this.position = first.from();
        this.sink = sink;
        this.service = service;
    }

    String requestId() {
        return request.getRequestId();
    }

    void cancel() {
        cancelled = true;
    }

    void runOn(Executor executor) {
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            cancel(); // the agent is closing
        }
    }

    @Override
    public void run() {
        if (cancelled || sink.isClosed()) {
            service.finished(this);
            return;
        }
        if (!sink.isReady()) {
            later(NOT_READY_RETRY_MILLIS);
            return;
        }
        // Decided before reading: output written before the pod ended is then read in this pass.
        boolean ended = !request.getFollow() || service.podEnded(request.getPodId());
        byte[] chunk;
        try {
            chunk = read();
        } catch (NoSuchFileException e) {
            if (ended) {
                end("no log for container " + container + " of pod " + request.getPodId());
            } else {
                later(service.pollEvery().toMillis());
            }
            return;
        } catch (IOException e) {
            end("cannot read the log of pod " + request.getPodId() + ": " + e.getMessage());
            return;
        }
        if (chunk.length == 0 && !segments.isEmpty()) {
            LogStart.Segment next = segments.removeFirst(); // a rotated copy is done: on to the newer file
            file = next.file();
            position = next.from();
            runOn(service.workers());
            return;
        }
        if (chunk.length > 0) {
            sink.send(LogData.newBuilder().setRequestId(request.getRequestId()).setData(ByteString.copyFrom(chunk)).build());
            runOn(service.workers());
        } else if (ended) {
            end(null);
        } else {
            later(service.pollEvery().toMillis());
        }
    }

    private byte[] read() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (segments.isEmpty() && channel.size() < position) {
                // The live file was rotated (copied, then truncated): the rest of what we had not read is in the copy.
                segments.addLast(new LogStart.Segment(file, 0));
                file = ContainerLogFiles.rotated(file, 1);
                return read();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(0, channel.size() - position)));
            while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                // keep reading until the chunk is full or the file ends
            }
            position += buffer.position();
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    private void end(String error) {
        LogData.Builder eof = LogData.newBuilder().setRequestId(request.getRequestId()).setEof(true);
        if (error != null) {
            eof.setError(error);
            log.debug("Log request {}: {}", request.getRequestId(), error);
        }
        sink.send(eof.build());
        service.finished(this);
    }

    private void later(long millis) {
        try {
            service.timer().schedule(() -> runOn(service.workers()), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            cancel();
        }
    }
}
