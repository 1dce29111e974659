package io.farget.sandbox.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File helpers shared by both cgroup versions: reading counters, mapping paths, removing folders. */
final class CgroupFolders {
    /** The kernel refuses rmdir (EBUSY) for a moment after the last process of a cgroup has died. */
    private static final int REMOVE_ATTEMPTS = 50;
    private static final long REMOVE_RETRY_MILLIS = 10;

    private CgroupFolders() {}

    /** {@code /farget/x} under {@code hierarchy}; refuses paths that would climb out of it. */
    static Path resolve(Path hierarchy, String cgroupPath) {
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        Path folder = hierarchy.resolve(relative).normalize();
        if (relative.isEmpty() || !folder.startsWith(hierarchy) || folder.equals(hierarchy)) {
            throw new IllegalArgumentException("not a cgroup below the root: " + cgroupPath);
        }
        return folder;
    }

    /** A file holding one number, or 0 when it does not exist (a controller this kernel lacks). */
    static long readNumber(Path file) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() || text.equals("max") ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The value of {@code key} in a flat-keyed file ("key value" lines), or 0 when absent. */
    static long readKeyed(Path file, String key) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return 0;
        }
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals(key)) {
                return Long.parseLong(parts[1]);
            }
        }
        return 0;
    }

    /** Writes one value the way cgroupfs wants it: the whole file in one write. */
    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    /** Removes {@code folder} and the folders below it, deepest first, with rmdir only. */
    static void removeTree(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(folder)) {
            deepestFirst = walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path dir : deepestFirst) {
            rmdir(dir);
        }
    }

    private static void rmdir(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (DirectoryNotEmptyException e) {
                throw e; // a plain folder with files: never a cgroup, never ours to empty
            } catch (FileSystemException e) {
                if (attempt >= REMOVE_ATTEMPTS) {
                    throw e;
                }
                sleepBeforeRetry();
            }
        }
    }

    private static void sleepBeforeRetry() throws IOException {
        try {
            Thread.sleep(REMOVE_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing a cgroup", e);
        }
    }
}
