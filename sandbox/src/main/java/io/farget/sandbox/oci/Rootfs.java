package io.farget.sandbox.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root folder of an image-less container: empty but for the host's top-level symbolic links
 * (bin -> usr/bin, ...). runc creates the mount points it needs; the spec makes it read-only.
 */
public final class Rootfs {
    private Rootfs() {}

    public static void prepare(Path rootfs, HostFolders host) throws IOException {
        Files.createDirectories(rootfs);
        for (HostFolders.Link link : host.links()) {
            Path name = rootfs.resolve(link.name().substring(1));
            if (!Files.isSymbolicLink(name)) {
                Files.createSymbolicLink(name, Path.of(link.target()));
            }
        }
    }
}
