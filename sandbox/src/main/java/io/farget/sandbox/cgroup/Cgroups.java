package io.farget.sandbox.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's cgroup file system as the runtime needs it: where a pod's folders are, what they count,
 * and how to remove them. runc creates a pod's folders (and their parents) from the spec's absolute
 * {@code cgroupsPath} but never removes the parents, so removal is ours.
 *
 * <p>Paths given to this interface are cgroup paths such as {@code /farget/abcdefghijkl}, the same
 * string written in the OCI spec; each implementation maps them onto its hierarchies.
 */
public interface Cgroups {

    Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");

    /** The cgroups mounted at {@code root}: v2 when it holds {@code cgroup.controllers}, else v1 (or hybrid). */
    static Cgroups detect(Path root) {
        return Files.exists(root.resolve("cgroup.controllers")) ? new CgroupV2(root) : new CgroupV1(root);
    }

    static Cgroups detect() {
        return detect(DEFAULT_ROOT);
    }

    /** "v1" or "v2", for logs and preflight messages. */
    String version();

    /** The folders that exist for this cgroup path, one per hierarchy that has it. */
    List<Path> folders(String cgroupPath);

    /** The cgroup's counters now, or empty when it does not exist (never created, or removed). */
    Optional<CgroupUsage> usage(String cgroupPath);

    /**
     * Removes the cgroup path and any sub-cgroups below it in every hierarchy, deepest first, with
     * rmdir only (a cgroup folder's files vanish with it; a plain folder holding files is refused).
     * A missing path is not an error.
     *
     * @throws IOException when a folder cannot be removed (processes still inside, or not a cgroup)
     */
    void remove(String cgroupPath) throws IOException;

    /**
     * Creates the cgroup (and its parents) where it does not exist and writes CPU, memory and pids
     * limits into it. For a pod's cgroup, which bounds the sum of its containers' cgroups below it.
     */
    void limit(String cgroupPath, CgroupLimits limits) throws IOException;

    /**
     * Sets only the CPU quota of an existing cgroup; {@code cpuMillis} null lifts it. Containers start
     * unthrottled and get their quota once running: {@code runc init} runs inside the container's
     * cgroup, and under a small pod's quota (0.02 CPU) its ~50 ms of CPU would take seconds.
     */
    void limitCpu(String cgroupPath, Long cpuMillis) throws IOException;

    /** Why pods could not get cgroups here (not writable, controller missing), or empty when they can. */
    Optional<String> problem();
}
