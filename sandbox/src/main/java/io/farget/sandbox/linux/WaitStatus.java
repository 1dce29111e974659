package io.farget.sandbox.linux;

/** Decodes the status word of waitpid(2) the way shells report it. */
public final class WaitStatus {
    private WaitStatus() {}

    /** Exited: its exit code. Killed by signal N: 128 + N (SIGKILL gives 137). */
    public static int exitCode(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return (status >> 8) & 0xff;
        }
        return 128 + signal;
    }

    /** Whether the status reports an end (exit or fatal signal) rather than a stop or continue. */
    public static boolean ended(int status) {
        int low = status & 0x7f;
        return low != 0x7f && status != 0xffff;
    }
}
