package io.farget.sandbox.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the runtime needs that the JDK does not offer. Failures throw with errno. */
public interface LibC extends Library {
    int PR_SET_CHILD_SUBREAPER = 36;
    int WNOHANG = 1;
    int ECHILD = 10;
    int ESRCH = 3;
    int EPERM = 1;
    int MNT_DETACH = 2;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    int geteuid();

    int umount2(String target, int flags) throws LastErrorException;

    long MS_NOSUID = 2;
    long MS_NODEV = 4;

    int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;

    int CLONE_NEWNET = 0x40000000;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    long SIOCGIFFLAGS = 0x8913;
    long SIOCSIFFLAGS = 0x8914;

    /** Moves the calling thread (only it: threads are tasks to the kernel) into new namespaces. */
    int unshare(int flags) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** For requests whose argument is a struct in memory, such as {@code struct ifreq}. */
    int ioctl(int fd, long request, byte[] argument) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** For calls glibc has no wrapper for (pidfd_open); pass every argument as a long. */
    long syscall(long number, Object... args) throws LastErrorException;

    int eventfd(int initialValue, int flags) throws LastErrorException;

    /** {@code fds}: an array of struct pollfd. */
    int poll(Pointer fds, int count, int timeoutMillis) throws LastErrorException;

    long read(int fd, byte[] buffer, long count) throws LastErrorException;

    long write(int fd, byte[] buffer, long count) throws LastErrorException;

    int MFD_CLOEXEC = 1;
    int MFD_ALLOW_SEALING = 2;
    /** Linux 6.3+: executable even where vm.memfd_noexec asks for non-executable memfds by default. */
    int MFD_EXEC = 0x10;
    int EINVAL = 22;
    int F_ADD_SEALS = 1033;
    int F_GET_SEALS = 1034;
    int F_SEAL_SEAL = 1;
    int F_SEAL_SHRINK = 2;
    int F_SEAL_GROW = 4;
    int F_SEAL_WRITE = 8;

    int memfd_create(String name, int flags) throws LastErrorException;

    /** Only for the commands whose argument is an int (F_ADD_SEALS, F_GET_SEALS). */
    int fcntl(int fd, int command, int argument) throws LastErrorException;

    /** Loaded on first use: a JVM that never touches runc never loads native code. */
    static LibC get() {
        return Holder.INSTANCE;
    }

    final class Holder {
        static final LibC INSTANCE = Native.load("c", LibC.class);

        private Holder() {}
    }
}
