package io.farget.sandbox.linux;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts a program in a session of its own with one {@code posix_spawn}: stdin from /dev/null,
 * stdout and stderr appended to a file, no descriptor of this JVM inherited, default signal
 * dispositions and an empty signal mask. It does what {@code ProcessBuilder} plus the {@code setsid}
 * program did, minus two program loads ({@code jspawnhelper}, then {@code setsid}): on a busy host
 * with two cores each exec waits for a CPU, and a container's start is on this path.
 *
 * <p>The child is this process's child: whoever calls {@link #spawn} must collect its exit status
 * (waitpid, e.g. through a {@link Reaper}) or it stays a zombie.
 */
public final class SessionSpawner {
    /** glibc's flags (spawn.h). */
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    /** Larger than glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128) on 64-bit Linux. */
    private static final int OPAQUE_BYTES = 1024;

    interface Spawn extends Library {
        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        /** glibc 2.34+: closes every descriptor from {@code from} up in the child. */
        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        /** Returns an error number (0 on success), never sets errno. */
        int posix_spawn(IntByReference pid, String path, Pointer actions, Pointer attr, StringArray argv, StringArray envp);
    }

    private static final class Holder {
        static final Spawn INSTANCE = Native.load("c", Spawn.class);
    }

    private SessionSpawner() {}

    /**
     * Starts {@code argv} ({@code argv[0]} an absolute path) in a new session with this JVM's
     * environment; returns its pid once the program has been loaded (glibc's posix_spawn reports a
     * failed exec as an error).
     *
     * @throws IOException when the program could not be started (its error number's meaning inside)
     */
    public static int spawn(List<String> argv, Path output) throws IOException {
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException("spawn needs an absolute program path, got " + argv);
        }
        Spawn c = Holder.INSTANCE;
        Memory attr = new Memory(OPAQUE_BYTES);
        Memory actions = new Memory(OPAQUE_BYTES);
        Memory noSignals = new Memory(OPAQUE_BYTES);
        Memory allSignals = new Memory(OPAQUE_BYTES);
        check(c.posix_spawnattr_init(attr), "posix_spawnattr_init");
        try {
            check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            try {
                c.sigemptyset(noSignals);
                c.sigfillset(allSignals);
                check(c.posix_spawnattr_setsigmask(attr, noSignals), "posix_spawnattr_setsigmask");
                check(c.posix_spawnattr_setsigdefault(attr, allSignals), "posix_spawnattr_setsigdefault");
                check(c.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                        "posix_spawnattr_setflags");
                check(c.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
                check(c.posix_spawn_file_actions_addopen(actions, 1, output.toString(), O_WRONLY | O_CREAT | O_APPEND, 0640),
                        "addopen stdout");
                check(c.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2 stderr");
                check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
                IntByReference pid = new IntByReference();
                int error = c.posix_spawn(pid, argv.get(0), actions, attr, new StringArray(argv.toArray(String[]::new)),
                        new StringArray(environment()));
                if (error != 0) {
                    throw new IOException("cannot start " + argv.get(0) + ": " + strerror(error));
                }
                return pid.getValue();
            } finally {
                c.posix_spawn_file_actions_destroy(actions);
            }
        } finally {
            c.posix_spawnattr_destroy(attr);
        }
    }

    private static String[] environment() {
        Map<String, String> env = System.getenv();
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static void check(int error, String call) throws IOException {
        if (error != 0) {
            throw new IOException(call + " failed: " + strerror(error));
        }
    }

    private static String strerror(int error) {
        return switch (error) {
            case 2 -> "no such file or directory";
            case 13 -> "permission denied";
            case 12 -> "out of memory";
            case 11 -> "resource temporarily unavailable";
            default -> "errno " + error;
        };
    }
}
