package io.farget.agent.logs;

import io.farget.sandbox.ContainerLogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a log request starts reading in a container's files (rotated copies oldest first, then the
 * live file): at the very start, at the last {@code tailLines} lines, at what was written since a
 * time, or at the later of the last two when both are asked.
 */
final class LogStart {
    private static final int BLOCK = 64 * 1024;

    /** One file and the offset to read it from. */
    record Segment(Path file, long from) {}

    private record Position(int file, long offset) {
        boolean after(Position other) {
            return file > other.file || (file == other.file && offset > other.offset);
        }
    }

    private LogStart() {}

    /** The segments to read in order; the last is always the live file. */
    static List<Segment> find(Path live, int tailLines, Instant since) throws IOException {
        List<Path> files = ContainerLogFiles.oldestFirst(live);
        Position start = new Position(0, 0);
        if (since != null) {
            Position bySince = new Position(files.size() - 1, size(files.get(files.size() - 1)));
            for (int i = 0; i < files.size(); i++) {
                if (i + 1 < files.size()) {
                    Instant rotated = ContainerLogFiles.firstSampleAt(files.get(i + 1));
                    if (rotated != null && !rotated.isAfter(since)) {
                        continue; // all of this copy was written before its successor began
                    }
                }
                long offset = Math.min(ContainerLogFiles.offsetAt(files.get(i), since), size(files.get(i)));
                if (offset < size(files.get(i))) {
                    bySince = new Position(i, offset);
                    break;
                }
            }
            start = bySince;
        }
        if (tailLines > 0) {
            Position byTail = tail(files, tailLines);
            if (byTail.after(start)) {
                start = byTail;
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = start.file; i < files.size(); i++) {
            segments.add(new Segment(files.get(i), i == start.file ? start.offset : 0));
        }
        return segments;
    }

    /** Just after the (lines+1)-th newline from the end, not counting one that ends the output. */
    private static Position tail(List<Path> files, int lines) throws IOException {
        int newlines = 0;
        boolean last = true;
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            long size = size(file);
            if (size == 0) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long end = size;
                while (end > 0) {
                    int length = (int) Math.min(BLOCK, end);
                    ByteBuffer buffer = ByteBuffer.allocate(length);
                    channel.read(buffer, end - length);
                    byte[] bytes = buffer.array();
                    for (int k = length - 1; k >= 0; k--) {
                        if (bytes[k] == '\n') {
                            if (last && end - length + k == size - 1) {
                                last = false; // the newline that ends the output ends the last line
                                continue;
                            }
                            newlines++;
                            if (newlines == lines) {
                                return new Position(i, end - length + k + 1);
                            }
                        }
                        last = false;
                    }
                    end -= length;
                }
            }
        }
        return new Position(0, 0);
    }

    private static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
