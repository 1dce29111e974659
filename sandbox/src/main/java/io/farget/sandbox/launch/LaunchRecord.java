package io.farget.sandbox.launch;

import io.farget.proto.v1.LaunchPod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request a pod was started with, kept beside its bundle (a {@code LaunchPod} message: pod id,
 * attempt, spec) so that a restarted agent can rebuild its view of the pod without asking anyone.
 * Written atomically (temp file + rename) before the first container starts.
 */
public final class LaunchRecord {
    private static final Logger log = LoggerFactory.getLogger(LaunchRecord.class);

    private LaunchRecord() {}

    public static void write(Path file, LaunchPod launch) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, launch.toByteArray());
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The record, or empty when there is none or it cannot be read (the pod then cannot be adopted). */
    public static Optional<LaunchPod> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LaunchPod.parseFrom(Files.readAllBytes(file)));
        } catch (IOException e) {
            log.warn("unreadable launch record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
