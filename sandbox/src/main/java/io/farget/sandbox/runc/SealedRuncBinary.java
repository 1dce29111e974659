package io.farget.sandbox.runc;

import com.sun.jna.LastErrorException;
import io.farget.sandbox.linux.LibC;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runc binary, copied once into a sealed in-memory file that every runc this agent starts runs
 * from.
 *
 * <p>Why: at every container start runc 1.1 copies its own binary (10 MB) into a new memfd and runs
 * the container's init from that copy, so that a container cannot overwrite the host's runc through
 * {@code /proc/self/exe} (CVE-2019-5736): 3-5 ms of every start on these machines. runc skips the
 * copy when it already runs from a fully sealed memfd, a case its own check names (runc 1.2 ships a
 * service that does this for {@code /usr/bin/runc}); nobody can write a sealed file, so the
 * protection stays whole.
 *
 * <p>runc is started through a symlink named {@code runc}, so that {@code ps} still says runc, to
 * {@code /proc/<this process>/fd/<memfd>}. The link lives in the agent's own folder and each start
 * replaces it, so an agent killed without closing leaves one dangling link, never a growing pile.
 * Where any of this is refused (an old kernel, a {@code vm.memfd_noexec} policy) the installed
 * binary is used as before.
 */
public final class SealedRuncBinary implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SealedRuncBinary.class);
    private static final int ALL_SEALS = LibC.F_SEAL_SEAL | LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_WRITE;

    private final LibC libc;
    private final int memfd;
    private final Path link;
    private final Path target;

    private SealedRuncBinary(LibC libc, int memfd, Path link, Path target) {
        this.libc = libc;
        this.memfd = memfd;
        this.link = link;
        this.target = target;
    }

    /**
     * The sealed copy of {@code runcBinary} (a path, or a name looked up on PATH), started through
     * {@code linkDir/runc}; empty where it cannot be made.
     */
    public static Optional<SealedRuncBinary> of(String runcBinary, Path linkDir, LibC libc) {
        Optional<Path> installed = locate(runcBinary);
        if (installed.isEmpty()) {
            return Optional.empty(); // the preflight says what is missing
        }
        int memfd;
        try {
            memfd = memfdCreate(libc);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            log.info("runc will copy itself at every container start: no sealed copy ({})", e.getMessage());
            return Optional.empty();
        }
        Path link = linkDir.resolve("runc");
        Path target = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + memfd);
        try {
            Path self = Path.of("/proc/self/fd/" + memfd);
            try (OutputStream copy = Files.newOutputStream(self)) {
                Files.copy(installed.get(), copy);
            }
            libc.fcntl(memfd, LibC.F_ADD_SEALS, ALL_SEALS);
            if (libc.fcntl(memfd, LibC.F_GET_SEALS, 0) != ALL_SEALS) {
                throw new IOException("the copy is not fully sealed");
            }
            replaceLink(link, target);
            SealedRuncBinary sealed = new SealedRuncBinary(libc, memfd, link, target);
            sealed.checkRuns();
            log.info("runc runs from a sealed copy of {} ({} bytes): no copy per container start", installed.get(),
                    Files.size(installed.get()));
            return Optional.of(sealed);
        } catch (IOException | LastErrorException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.info("runc will copy itself at every container start: no sealed copy ({})", e.getMessage());
            deleteIfOurs(link, target);
            closeQuietly(libc, memfd);
            return Optional.empty();
        }
    }

    /** The path to start runc by: a symlink named runc. */
    public String path() {
        return link.toString();
    }

    private void checkRuns() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(path(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the sealed copy does not run");
        }
    }

    private static int memfdCreate(LibC libc) {
        int flags = LibC.MFD_CLOEXEC | LibC.MFD_ALLOW_SEALING;
        try {
            return libc.memfd_create("runc", flags | LibC.MFD_EXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINVAL) {
                throw e;
            }
            return libc.memfd_create("runc", flags); // before Linux 6.3: no MFD_EXEC, and every memfd is executable
        }
    }

    private static Optional<Path> locate(String binary) {
        if (binary.contains("/")) {
            return Optional.of(Path.of(binary)).filter(Files::isExecutable);
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** Runc processes already started keep their copy; new ones can no longer be started from {@link #path}. */
    @Override
    public void close() {
        deleteIfOurs(link, target);
        closeQuietly(libc, memfd);
    }

    /** Points {@code link} at {@code target} in one step: whoever starts runc meanwhile finds the old link or the new one. */
    private static void replaceLink(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        Path fresh = link.resolveSibling("runc." + ProcessHandle.current().pid() + ".new");
        Files.deleteIfExists(fresh);
        Files.createSymbolicLink(fresh, target);
        Files.move(fresh, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the link unless a later runtime has pointed it at its own copy since. */
    private static void deleteIfOurs(Path link, Path target) {
        try {
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
                Files.delete(link);
            }
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", link, e.toString());
        }
    }

    private static void closeQuietly(LibC libc, int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            log.debug("close({}) failed: {}", fd, e.getMessage());
        }
    }
}
