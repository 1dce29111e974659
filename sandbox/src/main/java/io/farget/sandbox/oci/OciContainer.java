package io.farget.sandbox.oci;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one container of a pod needs from its OCI spec, already decided: the process, its user, its
 * limits, its volumes, where its cgroup goes and which namespaces it shares.
 *
 * @param hostname the pod's name; null for a container that joins another's uts namespace (runc
 *     renames the whole pod when a joined container sets it)
 * @param env the full environment, PATH included, in order
 * @param cpuMillis CPU limit in millicores (1000 = one core)
 * @param cgroupsPath absolute, e.g. {@code /farget/<podId>/<container>}
 * @param user the process's user and group ids
 * @param volumes host folders bound into the container
 * @param joinPid the pause process whose network, ipc and uts namespaces this container joins; null
 *     for a container that owns all its namespaces
 * @param imageRootfs an unpacked image used as the (read-only) root; null for the host's system folders
 * @param netns a network namespace made beforehand that this container joins by path (the pod's pinned
 *     namespace, for its pause process); null for a new one, or the pause's with {@code joinPid}
 */
public record OciContainer(String hostname, List<String> args, Map<String, String> env, String cwd,
                           long cpuMillis, long memoryBytes, long pidsLimit, String cgroupsPath,
                           UserIds user, List<VolumeBind> volumes, Integer joinPid, Path imageRootfs, Path netns) {
    public OciContainer {
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        volumes = List.copyOf(volumes);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(cgroupsPath, "cgroupsPath");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
        if (hostname != null && joinPid != null) {
            throw new IllegalArgumentException("a container joining a pod's uts namespace must not set the hostname");
        }
        if (netns != null && joinPid != null) {
            throw new IllegalArgumentException("a container joins either the pause's namespaces or a network namespace, not both");
        }
        Objects.requireNonNull(user, "user");
    }

    /** A container owning its namespaces or joining the pause's, as {@code joinPid} says. */
    public OciContainer(String hostname, List<String> args, Map<String, String> env, String cwd,
                        long cpuMillis, long memoryBytes, long pidsLimit, String cgroupsPath,
                        UserIds user, List<VolumeBind> volumes, Integer joinPid, Path imageRootfs) {
        this(hostname, args, env, cwd, cpuMillis, memoryBytes, pidsLimit, cgroupsPath, user, volumes, joinPid, imageRootfs, null);
    }

    /** A root container owning all its namespaces on the host's system folders, without volumes. */
    public OciContainer(String hostname, List<String> args, Map<String, String> env, String cwd,
                        long cpuMillis, long memoryBytes, long pidsLimit, String cgroupsPath) {
        this(hostname, args, env, cwd, cpuMillis, memoryBytes, pidsLimit, cgroupsPath, UserIds.ROOT, List.of(), null, null);
    }

    /** The same container joining the network, ipc and uts namespaces of the pod's pause process. */
    public OciContainer joining(int pausePid) {
        return new OciContainer(null, args, env, cwd, cpuMillis, memoryBytes, pidsLimit, cgroupsPath, user, volumes, pausePid,
                imageRootfs, null);
    }

    /** The same container in the network namespace pinned at {@code netnsFile}, with new ipc and uts namespaces. */
    public OciContainer inNetwork(Path netnsFile) {
        return new OciContainer(hostname, args, env, cwd, cpuMillis, memoryBytes, pidsLimit, cgroupsPath, user, volumes, null,
                imageRootfs, netnsFile);
    }

    /** A host folder bound at {@code destination}; read-only unless {@code readOnly} is false. */
    public record VolumeBind(String destination, Path source, boolean readOnly) {
        public VolumeBind {
            Objects.requireNonNull(source, "source");
            if (destination == null || !destination.startsWith("/")) {
                throw new IllegalArgumentException("a mount path must be absolute, got '" + destination + "'");
            }
        }
    }
}
