package io.farget.sandbox.net;

import com.sun.jna.LastErrorException;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a pod's network namespace reachable by a file of its own: a bind mount of
 * {@code /proc/<pause-pid>/ns/net}, as {@code ip netns add} does. CNI DEL then always finds the
 * namespace it set up, even after the pause died, and never a stranger's namespace behind a reused pid.
 */
final class NetnsPin {
    private static final long MS_BIND = 4096;

    private final LibC libc;
    private final Path dir;

    NetnsPin(LibC libc, Path dir) {
        this.libc = libc;
        this.dir = dir;
    }

    Path fileOf(String podId) {
        return dir.resolve(podId);
    }

    Path pin(String podId, int pid) throws CniException {
        Path file = fileOf(podId);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file);
            libc.mount("/proc/" + pid + "/ns/net", file.toString(), null, MS_BIND, null);
            return file;
        } catch (IOException | LastErrorException e) {
            throw new CniException("cannot pin the network namespace of pid " + pid + ": " + e.getMessage(), e);
        }
    }

    /** Whether the file still holds a namespace (after a reboot it is a plain empty file). */
    boolean pinned(String podId) throws IOException {
        return !MountTable.mountPointsUnder(fileOf(podId)).isEmpty();
    }

    /** Unmounts and deletes the file; the namespace goes away once no process is in it. */
    void unpin(String podId) throws IOException {
        Path file = fileOf(podId);
        for (String mountPoint : MountTable.mountPointsUnder(file)) {
            try {
                libc.umount2(mountPoint, LibC.MNT_DETACH);
            } catch (LastErrorException e) {
                throw new IOException("cannot unmount " + mountPoint + ": errno " + e.getErrorCode(), e);
            }
        }
        Files.deleteIfExists(file);
    }
}
