package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.Arrays;

/**
 * The master side of a pseudo-terminal, as raw file descriptor calls (a JDK stream cannot wrap a
 * descriptor received over a socket). What the process on the terminal writes is read here; what is
 * written here is its keyboard. Reads wait at most a given time, so a reader can also watch for the
 * process's end; {@link #close} must not race a read (let the one reader close it).
 */
public final class Pty implements AutoCloseable {
    /** What {@link #read} returns when the terminal has nothing within the wait. */
    public static final int NOTHING_YET = 0;
    /** What {@link #read} returns once every process closed the terminal's other side. */
    public static final int ENDED = -1;

    private final PosixIo io;
    private final int fd;
    private boolean closed; // guarded by this

    public Pty(PosixIo io, int fd) {
        this.io = io;
        this.fd = fd;
    }

    /**
     * Reads what the terminal shows, waiting at most {@code waitMillis}: the number of bytes read,
     * {@link #NOTHING_YET}, or {@link #ENDED} (EIO: no process holds the terminal any more).
     */
    public int read(byte[] buffer, int waitMillis) throws IOException {
        PosixIo.PollFd poll = new PosixIo.PollFd();
        poll.fd = fd;
        poll.events = PosixIo.POLLIN;
        try {
            if (io.poll(poll, 1, waitMillis) == 0) {
                return NOTHING_YET;
            }
            long n = io.read(fd, buffer, buffer.length);
            return n <= 0 ? ENDED : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == PosixIo.EINTR) {
                return NOTHING_YET;
            }
            if (e.getErrorCode() == PosixIo.EIO) {
                return ENDED;
            }
            throw new IOException("cannot read the terminal: errno " + e.getErrorCode(), e);
        }
    }

    /** Types {@code data} on the terminal; silently drops it once the terminal is closed. */
    public synchronized void write(byte[] data, int offset, int length) throws IOException {
        byte[] rest = Arrays.copyOfRange(data, offset, offset + length);
        while (!closed && rest.length > 0) {
            try {
                long n = io.write(fd, rest, rest.length);
                rest = Arrays.copyOfRange(rest, (int) n, rest.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != PosixIo.EINTR) {
                    throw new IOException("cannot write to the terminal: errno " + e.getErrorCode(), e);
                }
            }
        }
    }

    /** Sets the window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
    public synchronized void resize(int rows, int cols) throws IOException {
        if (closed) {
            return;
        }
        try {
            io.ioctl(fd, PosixIo.TIOCSWINSZ, new short[] {(short) rows, (short) cols, 0, 0});
        } catch (LastErrorException e) {
            throw new IOException("cannot resize the terminal: errno " + e.getErrorCode(), e);
        }
    }

    /** The window size as {rows, cols}. */
    public synchronized int[] size() throws IOException {
        if (closed) {
            throw new IOException("the terminal is closed");
        }
        short[] size = new short[4];
        try {
            io.ioctl(fd, PosixIo.TIOCGWINSZ, size);
        } catch (LastErrorException e) {
            throw new IOException("cannot read the terminal's size: errno " + e.getErrorCode(), e);
        }
        return new int[] {Short.toUnsignedInt(size[0]), Short.toUnsignedInt(size[1])};
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            io.close(fd);
        }
    }
}
