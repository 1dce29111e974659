package io.farget.agent.exec;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.farget.proto.v1.ExecExit;
import io.farget.proto.v1.ExecInput;
import io.farget.proto.v1.ExecOutput;
import io.farget.proto.v1.ExecStart;
import io.farget.proto.v1.TerminalSize;
import io.farget.sandbox.SandboxException;
import io.farget.sandbox.SandboxRuntime;
import io.farget.sandbox.TerminalProcess;
import io.farget.sandbox.WindowSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the leader's exec requests in running containers and relays their stdio: stdin from
 * {@link ExecInput}s (in order, on a sequential executor), stdout and stderr as {@link ExecOutput}
 * chunks (one reader each on the exec pool), then one {@link ExecExit} once both are drained and
 * the process ended. A cancel (the client went away) sends SIGTERM, which runc passes on to the command.
 * With {@code tty} the command runs on a pseudo-terminal of the client's size: its output (stdout and
 * stderr together) comes as stdout, resizes follow the client's window, and a cancel hangs it up.
 */
public final class ExecService {
    static final int CHUNK = 32 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ExecService.class);

    private final SandboxRuntime runtime;
    /**
     * Where an exec's launch, stdin writes (a command that does not read blocks them), output pumps and
     * exit wait run, all blocking for as long as the command likes: never the agent's bounded worker pool.
     */
    private final Executor pumps;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /** @param pumps threads that may block for as long as an exec runs (three per exec, while it runs) */
    public ExecService(SandboxRuntime runtime, Executor pumps) {
        this.runtime = runtime;
        this.pumps = pumps;
    }

    /** Registers the exec at once, so stdin that follows right behind the start queues up behind its launch. */
    public void start(ExecStart start, ExecSink sink) {
        Running r = new Running(new CompletableFuture<>(), MoreExecutors.newSequentialExecutor(pumps));
        running.put(start.getExecId(), r);
        r.stdin.execute(() -> launch(start, sink, r));
    }

    private void launch(ExecStart start, ExecSink sink, Running r) {
        String id = start.getExecId();
        Process process;
        try {
            process = start.getTty()
                    ? runtime.execOnTerminal(start.getPodId(), start.getContainer(), start.getCommandList(), windowSize(start.getSize()))
                    : runtime.exec(start.getPodId(), start.getContainer(), start.getCommandList());
        } catch (SandboxException e) {
            running.remove(id);
            r.process.complete(null);
            log.info("Exec {} in pod {} refused: {}", id, start.getPodId(), e.getMessage());
            sink.exit(ExecExit.newBuilder().setExecId(id).setExitCode(-1).setError(e.getMessage()).build());
            return;
        }
        r.process.complete(process);
        CountDownLatch drained = new CountDownLatch(2);
        pumps.execute(() -> pump(process.getInputStream(), drained, (b, out) -> out.setStdout(b), id, sink));
        pumps.execute(() -> pump(process.getErrorStream(), drained, (b, out) -> out.setStderr(b), id, sink));
        pumps.execute(() -> {
            int code;
            try {
                drained.await();
                code = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                code = -1;
            }
            running.remove(id);
            log.debug("Exec {} in pod {} ended with {}", id, start.getPodId(), code);
            sink.exit(ExecExit.newBuilder().setExecId(id).setExitCode(code).build());
        });
    }

    private static void pump(InputStream in, CountDownLatch drained, BiConsumer<ByteString, ExecOutput.Builder> put, String id,
                             ExecSink sink) {
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                ExecOutput.Builder out = ExecOutput.newBuilder().setExecId(id);
                put.accept(ByteString.copyFrom(buffer, 0, n), out);
                sink.output(out.build());
            }
        } catch (IOException e) {
            log.debug("Exec {}: output ended: {}", id, e.getMessage());
        } finally {
            drained.countDown();
        }
    }

    /** Stdin for a running exec, its end, or a cancel. Unknown ids are ignored (the exec already ended). */
    public void input(ExecInput input) {
        Running r = running.get(input.getExecId());
        if (r == null) {
            return;
        }
        if (input.getCancel()) {
            r.process.thenAccept(p -> {
                if (p != null) {
                    p.destroy();
                }
            });
            return;
        }
        r.stdin.execute(() -> {
            Process p = r.process.getNow(null);
            if (p == null) {
                return; // it never started
            }
            OutputStream stdin = p.getOutputStream();
            try {
                if (input.hasResize() && p instanceof TerminalProcess terminal) {
                    terminal.resize(windowSize(input.getResize()));
                }
                if (!input.getData().isEmpty()) {
                    input.getData().writeTo(stdin);
                    stdin.flush();
                }
                if (input.getEof()) {
                    stdin.close();
                }
            } catch (IOException e) {
                log.debug("Exec {}: stdin closed: {}", input.getExecId(), e.getMessage());
            }
        });
    }

    /** A size the client sent, or unknown when it sent nonsense (a terminal is never 70000 rows high). */
    private static WindowSize windowSize(TerminalSize size) {
        int rows = size.getRows();
        int cols = size.getCols();
        return rows > 0 && cols > 0 && rows <= 0xFFFF && cols <= 0xFFFF ? new WindowSize(rows, cols) : WindowSize.UNKNOWN;
    }

    /** The stream to the leader is gone: nobody reads the outputs any more. */
    public void cancelAll() {
        running.values().forEach(r -> r.process.thenAccept(p -> {
            if (p != null) {
                p.destroy();
            }
        }));
    }

    /** One exec: its process once launched (null if it could not be), and the queue its launch and stdin run on. */
    private record Running(CompletableFuture<Process> process, Executor stdin) {}
}
