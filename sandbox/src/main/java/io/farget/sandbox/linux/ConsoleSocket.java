package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The unix socket that {@code runc --console-socket} connects to in order to hand over the PTY master
 * it made for a process: one connection, one message whose ancillary data holds the file descriptor
 * (SCM_RIGHTS) and whose payload is the terminal's name. Listens on a file path (so only who may open
 * its folder can connect); {@link #close} removes it.
 */
public final class ConsoleSocket implements AutoCloseable {
    /** {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;
    private static final int CMSG_HEADER = 16; // cmsg_len (size_t), cmsg_level, cmsg_type
    private static final int PAYLOAD = 4096;

    private final PosixIo io;
    private final Path path;
    private final int fd;
    private boolean closed;

    private ConsoleSocket(PosixIo io, Path path, int fd) {
        this.io = io;
        this.path = path;
        this.fd = fd;
    }

    /** Binds and listens at {@code path}, which must not exist yet. */
    public static ConsoleSocket listen(PosixIo io, Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_PATH_BYTES) {
            throw new IOException("console socket path too long for a unix socket: " + path);
        }
        byte[] address = new byte[2 + name.length + 1];
        address[0] = (byte) PosixIo.AF_UNIX; // sa_family_t, little-endian on every platform we run on
        System.arraycopy(name, 0, address, 2, name.length);
        int fd;
        try {
            fd = io.socket(PosixIo.AF_UNIX, PosixIo.SOCK_STREAM | PosixIo.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot create a unix socket: errno " + e.getErrorCode(), e);
        }
        try {
            io.bind(fd, address, address.length);
            io.listen(fd, 1);
        } catch (LastErrorException e) {
            io.close(fd);
            throw new IOException("cannot listen on " + path + ": errno " + e.getErrorCode(), e);
        }
        return new ConsoleSocket(io, path, fd);
    }

    public Path path() {
        return path;
    }

    /**
     * Accepts the one connection and returns the descriptor it carries (close-on-exec, owned by the
     * caller). Waits at most {@code timeout} for the connection.
     *
     * @throws IOException when nobody connected in time or the message carried no descriptor
     */
    public synchronized int receiveFd(Duration timeout) throws IOException {
        PosixIo.PollFd poll = new PosixIo.PollFd();
        poll.fd = fd;
        poll.events = PosixIo.POLLIN;
        if (io.poll(poll, 1, (int) timeout.toMillis()) <= 0) {
            throw new IOException("runc did not hand over the terminal within " + timeout.toMillis() + " ms");
        }
        int connection = io.accept4(fd, null, null, PosixIo.SOCK_CLOEXEC);
        try (Memory payload = new Memory(PAYLOAD); Memory iov = new Memory(16); Memory control = new Memory(64)) {
            control.clear();
            iov.setPointer(0, payload);
            iov.setLong(8, PAYLOAD);
            PosixIo.MsgHdr message = new PosixIo.MsgHdr();
            message.iov = iov;
            message.iovLength = 1;
            message.control = control;
            message.controlLength = control.size();
            io.recvmsg(connection, message, PosixIo.MSG_CMSG_CLOEXEC);
            long length = control.getLong(0);
            if (message.controlLength < CMSG_HEADER + 4 || length < CMSG_HEADER + 4
                    || control.getInt(8) != PosixIo.SOL_SOCKET || control.getInt(12) != PosixIo.SCM_RIGHTS) {
                throw new IOException("the console socket's message carried no file descriptor");
            }
            int received = control.getInt(CMSG_HEADER);
            for (long extra = CMSG_HEADER + 4; extra + 4 <= length; extra += 4) {
                io.close(control.getInt(extra)); // runc sends one; never leak a stray one
            }
            return received;
        } catch (LastErrorException e) {
            throw new IOException("cannot receive the terminal from runc: errno " + e.getErrorCode(), e);
        } finally {
            io.close(connection);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            io.close(fd);
            Files.deleteIfExists(path);
        }
    }
}
