package io.farget.sandbox.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFoldersTest {
    @TempDir
    Path host;

    @Test
    void symlinkedFoldersBecomeLinksRealFoldersBecomeBindsMissingOnesNothing() throws Exception {
        Files.createDirectories(host.resolve("usr/bin"));
        Files.createSymbolicLink(host.resolve("bin"), Path.of("usr/bin"));
        Files.createDirectories(host.resolve("lib"));
        Files.createDirectories(host.resolve("etc/ssh"));
        Files.writeString(host.resolve("etc/shadow"), "root:secret");

        HostFolders found = HostFolders.probe(host);

        assertThat(found.links()).containsExactly(new HostFolders.Link("/bin", "usr/bin"));
        assertThat(found.binds()).containsExactly("/lib");
        assertThat(found.secrets()).containsExactly("/etc/shadow", "/etc/ssh");
    }

    @Test
    void rootfsGetsTheHostLinksAndNothingElse() throws Exception {
        HostFolders found = new HostFolders(java.util.List.of(new HostFolders.Link("/bin", "usr/bin")), java.util.List.of("/lib"),
                java.util.List.of());
        Path rootfs = host.resolve("rootfs");

        Rootfs.prepare(rootfs, found);
        Rootfs.prepare(rootfs, found); // idempotent

        assertThat(Files.readSymbolicLink(rootfs.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        try (var entries = Files.list(rootfs)) {
            assertThat(entries).hasSize(1);
        }
    }
}
