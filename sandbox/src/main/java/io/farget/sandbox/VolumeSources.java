package io.farget.sandbox;

import io.farget.proto.v1.EmptyDirVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Volume;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.runc.PodLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the host folder behind each of a pod's volumes. An emptyDir is a folder under the pod's
 * bundle (world-writable, as Kubernetes makes it, so any container user can write), or a size-capped
 * tmpfs mounted there when it asks for memory or a size limit; the bundle's removal unmounts it. A
 * hostPath must lie, after resolving links, below a folder the operator allowed.
 */
final class VolumeSources {
    private final LibC libc;
    private final List<Path> allowedHostPaths;

    VolumeSources(LibC libc, List<Path> allowedHostPaths) {
        this.libc = libc;
        this.allowedHostPaths = allowedHostPaths;
    }

    Map<String, Path> prepare(PodSpec spec, PodLayout layout, long podMemoryBytes) throws SandboxException {
        Map<String, Path> sources = new LinkedHashMap<>();
        for (Volume volume : spec.getVolumesList()) {
            if (volume.hasHostPath()) {
                sources.put(volume.getName(), hostPath(volume));
            } else {
                sources.put(volume.getName(), emptyDir(volume, layout, podMemoryBytes));
            }
        }
        return sources;
    }

    /** The host folders of a pod whose volumes were prepared before (by an earlier agent): nothing is made or mounted. */
    Map<String, Path> existing(PodSpec spec, PodLayout layout) throws SandboxException {
        Map<String, Path> sources = new LinkedHashMap<>();
        for (Volume volume : spec.getVolumesList()) {
            sources.put(volume.getName(), volume.hasHostPath() ? hostPath(volume) : layout.volume(volume.getName()));
        }
        return sources;
    }

    private Path hostPath(Volume volume) throws SandboxException {
        String name = volume.getName();
        String text = volume.getHostPath().getPath();
        if (allowedHostPaths.isEmpty()) {
            throw new SandboxException("volume '" + name + "': hostPath volumes are not allowed on this node");
        }
        Path real;
        try {
            real = Path.of(text).toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("volume '" + name + "': host path '" + text + "' does not exist on this node");
        }
        for (Path allowed : allowedHostPaths) {
            Path allowedReal = realOrSelf(allowed);
            if (real.startsWith(allowedReal)) {
                return real;
            }
        }
        throw new SandboxException("volume '" + name + "': host path '" + text + "' is not below a path this node allows "
                + allowedHostPaths);
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.normalize();
        }
    }

    private Path emptyDir(Volume volume, PodLayout layout, long podMemoryBytes) throws SandboxException {
        EmptyDirVolume emptyDir = volume.getEmptyDir();
        Path folder = layout.volume(volume.getName());
        try {
            Files.createDirectories(folder);
            if (emptyDir.getMemory() || emptyDir.getSizeLimitBytes() > 0) {
                // A memory volume without its own cap may hold at most what the pod may use anyway.
                long size = emptyDir.getSizeLimitBytes() > 0 ? emptyDir.getSizeLimitBytes() : podMemoryBytes;
                libc.mount("tmpfs", folder.toString(), "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV, "mode=0777,size=" + size);
            }
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
            return folder;
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("volume '" + volume.getName() + "': cannot make its folder: " + e.getMessage(), e);
        }
    }
}
