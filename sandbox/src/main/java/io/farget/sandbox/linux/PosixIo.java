package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The libc calls behind exec terminals that the JDK does not offer: a unix socket that receives a
 * file descriptor (SCM_RIGHTS), and raw reads, writes and window sizes on a PTY master. Kept apart
 * from {@link LibC} so the runtime's core never loads these bindings. Failures throw with errno.
 */
public interface PosixIo extends Library {
    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    short POLLIN = 0x1;
    /** Same number on x86_64 and aarch64 (asm-generic ioctls). */
    long TIOCSWINSZ = 0x5414;
    long TIOCGWINSZ = 0x5413;
    int EINTR = 4;
    int EIO = 5;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer address, Pointer length, int flags) throws LastErrorException;

    long recvmsg(int fd, MsgHdr message, int flags) throws LastErrorException;

    int poll(PollFd fds, long count, int timeoutMillis) throws LastErrorException;

    long read(int fd, byte[] buffer, long count) throws LastErrorException;

    long write(int fd, byte[] buffer, long count) throws LastErrorException;

    int ioctl(int fd, long request, short[] winsize) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** {@code struct msghdr}; JNA's default alignment matches the C layout on 64-bit Linux. */
    @Structure.FieldOrder({"name", "nameLength", "iov", "iovLength", "control", "controlLength", "flags"})
    class MsgHdr extends Structure {
        public Pointer name;
        public int nameLength;
        public Pointer iov;
        public long iovLength;
        public Pointer control;
        public long controlLength;
        public int flags;
    }

    /** {@code struct pollfd}. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }

    /** Loaded on first use. */
    static PosixIo get() {
        return Holder.INSTANCE;
    }

    final class Holder {
        static final PosixIo INSTANCE = Native.load("c", PosixIo.class);

        private Holder() {}
    }
}
