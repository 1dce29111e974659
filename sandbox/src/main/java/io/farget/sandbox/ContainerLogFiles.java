package io.farget.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How one container's output lies on disk, shared by the runtime that writes and rotates it and the
 * agent that serves it: the live file {@code NAME.log}, rotated copies {@code NAME.log.1} (newest) to
 * {@code NAME.log.N}, and beside each an index {@code .idx} of "epoch-millis size" lines sampled about
 * once a second, which maps a time to an offset (output has no timestamps of its own).
 */
public final class ContainerLogFiles {
    private ContainerLogFiles() {}

    /** The n-th rotated copy of {@code live} (n >= 1). */
    public static Path rotated(Path live, int n) {
        return live.resolveSibling(live.getFileName() + "." + n);
    }

    public static Path index(Path file) {
        return file.resolveSibling(file.getFileName() + ".idx");
    }

    /** The files that exist, oldest output first, the live file last (even when it does not exist yet). */
    public static List<Path> oldestFirst(Path live) {
        List<Path> files = new ArrayList<>();
        for (int n = 1; Files.exists(rotated(live, n)); n++) {
            files.add(0, rotated(live, n));
        }
        files.add(live);
        return files;
    }

    /** When the file was first sampled (for a rotated copy's successor: when the rotation happened), or null. */
    public static Instant firstSampleAt(Path file) throws IOException {
        try {
            for (String line : Files.readAllLines(index(file), StandardCharsets.US_ASCII)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    try {
                        return Instant.ofEpochMilli(Long.parseLong(line.substring(0, space)));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        return null;
    }

    /**
     * Where output written at or after {@code since} starts in {@code file}: the size it had at the
     * last sample before that time (so at most about a second too early, never too late); 0 when no
     * sample is older; the file's length when it ended before {@code since}.
     */
    public static long offsetAt(Path file, Instant since) throws IOException {
        long offset = 0;
        List<String> lines;
        try {
            lines = Files.readAllLines(index(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return 0;
        }
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            long at;
            long size;
            try {
                at = Long.parseLong(line.substring(0, space));
                size = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue; // a line cut short by a crash
            }
            if (at > since.toEpochMilli()) {
                break;
            }
            offset = size;
        }
        return offset;
    }
}
