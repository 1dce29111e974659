package io.farget.sandbox.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Reads what a shim left behind: the exit code it wrote, and when. */
public final class ExitFiles {
    private ExitFiles() {}

    /** The exit code in {@code file}, or empty while the container has not ended (or the file is unreadable). */
    public static Optional<Integer> read(Path file) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When the file was last written (the container's start for a pid file, its end for an exit-code file). */
    public static Optional<Instant> writtenAt(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The pid in a pid file, or empty. */
    public static Optional<Long> pid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a process with this pid exists (a zombie counts: its parent has not collected it yet). */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
