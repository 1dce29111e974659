package io.farget.agent.state;

import io.farget.common.PodIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node id: generated once and kept in {@code DATA_DIR/node-id}, so that a restarted agent is the
 * same node to the scheduler and can reclaim its pods.
 */
public final class NodeIdentity {
    static final String FILE = "node-id";

    private NodeIdentity() {}

    /** The id stored in {@code dataDir}, or a new one that is stored there first. */
    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = "node-" + PodIds.newId().substring(0, 8);
            AtomicFiles.write(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the node id in " + file, e);
        }
    }
}
