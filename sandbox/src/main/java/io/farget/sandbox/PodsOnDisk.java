package io.farget.sandbox;

import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods an earlier life of the agent left on this host, found from what outlives it (runc's
 * state and the pods' bundles) rather than from this runtime's memory: what the agent adopts or
 * removes after a restart.
 */
final class PodsOnDisk {
    private static final Logger log = LoggerFactory.getLogger(PodsOnDisk.class);

    private final RuncCommand runc;
    private final Path podsDir;

    PodsOnDisk(RuncCommand runc, Path podsDir) {
        this.runc = runc;
        this.podsDir = podsDir;
    }

    /** Pods with runc state (of a container or a pause) or a bundle on disk (a folder holding only logs is a removed pod). */
    List<String> ids() {
        TreeSet<String> ids = new TreeSet<>();
        try {
            for (String runcId : runc.ids()) {
                int dot = runcId.indexOf('.');
                ids.add(dot < 0 ? runcId : runcId.substring(0, dot));
            }
            if (Files.isDirectory(podsDir)) {
                try (Stream<Path> entries = Files.list(podsDir)) {
                    entries.filter(p -> Files.isDirectory(p.resolve("bundle"))).forEach(p -> ids.add(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            log.warn("cannot list pods: {}", e.getMessage());
        }
        return List.copyOf(ids);
    }
}
