package io.farget.sandbox.net;

import com.sun.jna.LastErrorException;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a pod's network namespace reachable by a file of its own: a bind mount of a namespace file,
 * as {@code ip netns add} does. CNI DEL then always finds the namespace it set up, even after the
 * pause died, and never a stranger's namespace behind a reused pid. {@link #create} makes the
 * namespace itself before any process lives in it (as containerd does), so CNI ADD can run while the
 * pause process starts; {@link #pin} keeps an existing process's namespace.
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

    /**
     * Makes a new network namespace with its loopback up and pins it. The namespace is made on a thread
     * of its own that ends right after: {@code unshare} moves only the calling thread, which must never
     * go back to running the agent's work (a process it spawned would start in the pod's namespace).
     */
    Path create(String podId) throws CniException {
        Path file = fileOf(podId);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(file);
            Files.createFile(file);
        } catch (IOException e) {
            throw new CniException("cannot create the network namespace pin " + file + ": " + e.getMessage(), e);
        }
        Throwable[] failure = new Throwable[1];
        Thread maker = new Thread(() -> {
            try {
                libc.unshare(LibC.CLONE_NEWNET);
                Loopback.up(libc);
                libc.mount("/proc/thread-self/ns/net", file.toString(), null, MS_BIND, null);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "netns-" + podId);
        maker.setDaemon(true);
        maker.start();
        try {
            maker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure[0] = failure[0] != null ? failure[0] : e; // the maker still ends by itself; its pin goes with the pod's cleanup
        }
        if (failure[0] != null) {
            try {
                unpin(podId);
            } catch (IOException ignored) {
                // the pod's cleanup tries again
            }
            throw new CniException("cannot create a network namespace for pod " + podId + ": " + failure[0], failure[0]);
        }
        return file;
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
