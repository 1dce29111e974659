package io.farget.sandbox;

import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.oci.OciSpecBuilder;
import io.farget.sandbox.oci.Rootfs;
import io.farget.sandbox.runc.PodLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Lays out one container's OCI bundle on disk (config.json, and the rootfs folder for image-less ones) and the logs folder. */
final class BundleWriter {
    private final HostFolders host;

    BundleWriter(HostFolders host) {
        this.host = host;
    }

    void write(PodLayout layout, PodLayout.ContainerBundle bundle, OciContainer container) throws IOException {
        Files.createDirectories(layout.logs());
        Files.createDirectories(bundle.dir());
        if (container.imageRootfs() == null) {
            Rootfs.prepare(bundle.rootfs(), host);
        }
        Files.writeString(bundle.configJson(), OciSpecBuilder.toJson(OciSpecBuilder.build(container, host)), StandardCharsets.UTF_8);
    }
}
