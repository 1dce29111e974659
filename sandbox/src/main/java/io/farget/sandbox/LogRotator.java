package io.farget.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each container's output under its {@link LogLimits}. A container writes straight into its
 * live file (runc needs a file as stdio), so rotation is copy-then-truncate, as logrotate's
 * copytruncate: the file is opened O_APPEND, so after the truncation writes continue at its start.
 * Output written between the copy and the truncation (microseconds) is lost. Each sample also appends
 * the file's size to its index ({@link ContainerLogFiles}) when it changed.
 */
final class LogRotator {
    private final LogLimits limits;
    private final Clock clock;
    private final Map<Path, Long> lastSize = new ConcurrentHashMap<>();

    LogRotator(LogLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** One sample of one live log file: index its size, rotate it when it passed the cap. */
    void sample(Path live) throws IOException {
        long size;
        try {
            size = Files.size(live);
        } catch (NoSuchFileException e) {
            return;
        }
        Long before = lastSize.put(live, size);
        if (before == null || before != size) {
            appendIndex(live, size);
        }
        if (size > limits.maxBytes()) {
            rotate(live);
        }
    }

    /** The container's log is no longer written: stop remembering it. */
    void forget(Path live) {
        lastSize.remove(live);
    }

    void rotate(Path live) throws IOException {
        if (limits.maxFiles() > 0) {
            Files.deleteIfExists(ContainerLogFiles.rotated(live, limits.maxFiles()));
            Files.deleteIfExists(ContainerLogFiles.index(ContainerLogFiles.rotated(live, limits.maxFiles())));
            for (int n = limits.maxFiles() - 1; n >= 1; n--) {
                moveIfExists(ContainerLogFiles.rotated(live, n), ContainerLogFiles.rotated(live, n + 1));
                moveIfExists(ContainerLogFiles.index(ContainerLogFiles.rotated(live, n)),
                        ContainerLogFiles.index(ContainerLogFiles.rotated(live, n + 1)));
            }
            Path first = ContainerLogFiles.rotated(live, 1);
            Files.copy(live, first, StandardCopyOption.REPLACE_EXISTING);
            moveIfExists(ContainerLogFiles.index(live), ContainerLogFiles.index(first));
        } else {
            Files.deleteIfExists(ContainerLogFiles.index(live));
        }
        try (FileChannel channel = FileChannel.open(live, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        lastSize.put(live, 0L);
        appendIndex(live, 0);
    }

    private void appendIndex(Path live, long size) throws IOException {
        Files.writeString(ContainerLogFiles.index(live), clock.millis() + " " + size + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
