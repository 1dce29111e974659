package io.farget.sandbox;

import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.oci.OciSpecBuilder;
import io.farget.sandbox.oci.Rootfs;
import io.farget.sandbox.runc.PodLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Lays out a pod's folder on disk: an OCI bundle (rootfs + config.json) and the logs folder. */
final class BundleWriter {
    private final HostFolders host;

    BundleWriter(HostFolders host) {
        this.host = host;
    }

    void write(PodLayout layout, OciContainer container) throws IOException {
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.bundle());
        Rootfs.prepare(layout.rootfs(), host);
        Files.writeString(layout.configJson(), OciSpecBuilder.toJson(OciSpecBuilder.build(container, host)), StandardCharsets.UTF_8);
    }
}
