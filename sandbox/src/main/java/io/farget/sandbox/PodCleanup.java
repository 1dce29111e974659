package io.farget.sandbox;

import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.MountTable;
import io.farget.sandbox.net.PodNetwork;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes every trace of a pod but its logs, in an order that is safe whatever state it is in:
 * runc's state (killing what still runs), the cgroup folders in every hierarchy, mounts left under
 * the bundle, then the bundle itself. Best effort: each step runs even if an earlier one failed.
 * Its address and host ports go separately ({@link #detachNetwork}): as soon as the pod ends.
 */
final class PodCleanup {
    private static final Logger log = LoggerFactory.getLogger(PodCleanup.class);

    private final RuncCommand runc;
    private final Cgroups cgroups;
    private final LibC libc;
    /** Pods' addresses on the host bridge; null when the agent runs without a pod network (loopback only). */
    private final PodNetwork network;

    PodCleanup(RuncCommand runc, Cgroups cgroups, LibC libc, PodNetwork network) {
        this.runc = runc;
        this.cgroups = cgroups;
        this.libc = libc;
        this.network = network;
    }

    void removeAll(String podId, PodLayout layout, String cgroupPath) {
        deleteRuncState(podId);
        removeCgroups(podId, cgroupPath);
        removeBundle(podId, layout);
    }

    /** Deletes the pod's runc containers: {@code <podId>} alone, or {@code <podId>.<container>} and its pause. */
    void deleteRuncState(String podId) {
        List<String> ids;
        try {
            ids = runc.ids().stream().filter(id -> id.equals(podId) || id.startsWith(podId + ".")).toList();
        } catch (IOException e) {
            log.warn("pod {}: cannot list runc state: {}", podId, e.getMessage());
            return;
        }
        for (String id : ids) {
            try {
                RuncCommand.Result result = runc.deleteForce(id);
                if (!result.ok()) {
                    log.warn("pod {}: runc delete {} failed: {}", podId, id, result.output().strip());
                }
            } catch (IOException e) {
                log.warn("pod {}: runc delete {} failed: {}", podId, id, e.getMessage());
            }
        }
    }

    void removeCgroups(String podId, String cgroupPath) {
        try {
            cgroups.remove(cgroupPath);
        } catch (IOException e) {
            log.warn("pod {}: cannot remove cgroup {}: {}", podId, cgroupPath, e.toString());
        }
    }

    void removeBundle(String podId, PodLayout layout) {
        Path bundle = layout.bundle();
        if (!Files.exists(bundle)) {
            return;
        }
        try {
            List<String> stillMounted = MountTable.unmountUnder(libc, bundle);
            if (!stillMounted.isEmpty()) {
                // Deleting now could reach through a bind mount into a host folder: leave it for a human.
                log.error("pod {}: not deleting {}: still mounted: {}", podId, bundle, stillMounted);
                return;
            }
            deleteTree(bundle);
        } catch (IOException e) {
            log.warn("pod {}: cannot delete bundle {}: {}", podId, bundle, e.toString());
        }
    }

    /** Releases the pod's address and host ports; nothing without a pod network. */
    void detachNetwork(String podId) {
        if (network != null) {
            network.detach(podId);
        }
    }

    /** rm -r without following symbolic links (the rootfs holds links such as bin -> usr/bin). */
    private static void deleteTree(Path folder) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(folder)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }
}
