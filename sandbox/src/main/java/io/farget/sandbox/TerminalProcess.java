package io.farget.sandbox;

import io.farget.sandbox.linux.Pty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * A command running on a pseudo-terminal inside a container, seen as a {@link Process}: its input
 * stream is what the terminal shows (stdout and stderr together), its output stream the keyboard, its
 * error stream empty. Closing the keyboard does not end the terminal (as with {@code kubectl exec -t}).
 * The output ends once no process holds the terminal, or once the command ended and the terminal
 * stayed quiet for a moment (a background child may keep it open forever).
 */
public final class TerminalProcess extends Process {
    private static final int POLL_MILLIS = 50;
    /** After the command ended: how long a quiet terminal counts as drained, and the most we read on. */
    private static final Duration QUIET = Duration.ofMillis(150);
    private static final Duration DRAIN_AT_MOST = Duration.ofSeconds(2);

    private final Pty pty;
    private final long pid;
    private final CompletableFuture<Integer> exit;
    private final IntConsumer signal;
    private final InputStream screen = new Screen();
    private final OutputStream keyboard = new Keyboard();

    /**
     * @param exit   completes with the command's exit code
     * @param signal sends a signal (by number) to the command while it runs
     */
    public TerminalProcess(Pty pty, long pid, CompletableFuture<Integer> exit, IntConsumer signal) {
        this.pty = pty;
        this.pid = pid;
        this.exit = exit;
        this.signal = signal;
    }

    /** Sets the terminal's window size; the command gets SIGWINCH. */
    public void resize(WindowSize size) throws IOException {
        if (size.known()) {
            pty.resize(size.rows(), size.cols());
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return keyboard;
    }

    @Override
    public InputStream getInputStream() {
        return screen;
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return RuncRuntime.EXIT_CODE_UNKNOWN;
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("the command is still running");
        }
        return exit.getNow(RuncRuntime.EXIT_CODE_UNKNOWN);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    /** Hangs up: an interactive shell ignores SIGTERM but ends on SIGHUP, as when its terminal closes. */
    @Override
    public void destroy() {
        if (!exit.isDone()) {
            signal.accept(1); // SIGHUP
        }
    }

    @Override
    public Process destroyForcibly() {
        if (!exit.isDone()) {
            signal.accept(9); // SIGKILL
        }
        return this;
    }

    /** The terminal's output; its one reader closes the terminal when done. */
    private final class Screen extends InputStream {
        private long quietSinceExitNanos = -1;
        private long exitSeenNanos = -1;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            byte[] buffer = off == 0 && len == b.length ? b : new byte[len];
            while (!ended) {
                int n = pty.read(buffer, POLL_MILLIS);
                if (n > 0) {
                    if (buffer != b) {
                        System.arraycopy(buffer, 0, b, off, n);
                    }
                    quietSinceExitNanos = -1;
                    if (exitSeenNanos >= 0 && System.nanoTime() - exitSeenNanos >= DRAIN_AT_MOST.toNanos()) {
                        ended = true; // a background child keeps talking; the command is over
                    }
                    return n;
                }
                if (n == Pty.ENDED || drained()) {
                    ended = true;
                }
            }
            return -1;
        }

        /** The command ended and the terminal stayed quiet a moment (or too long passed since). */
        private boolean drained() {
            if (!exit.isDone()) {
                return false;
            }
            long now = System.nanoTime();
            if (exitSeenNanos < 0) {
                exitSeenNanos = now;
            }
            if (quietSinceExitNanos < 0) {
                quietSinceExitNanos = now;
            }
            return now - quietSinceExitNanos >= QUIET.toNanos() || now - exitSeenNanos >= DRAIN_AT_MOST.toNanos();
        }

        @Override
        public void close() {
            ended = true;
            pty.close();
        }
    }

    private final class Keyboard extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pty.write(b, off, len);
        }

        @Override
        public void close() {
            // The terminal stays: its reader closes it once the command ended.
        }
    }
}
