package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.PodSpec;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image pods against a REAL registry (Debian's docker-registry on 127.0.0.1) serving a tiny busybox
 * image this test builds itself with umoci and pushes with skopeo.
 */
@Tag("runc")
class ImagePodsTest {
    @TempDir
    Path work;
    private Process registry;
    private String registryAddress;
    private RuncFixture f;

    @BeforeEach
    void setUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        registryAddress = "127.0.0.1:" + port;
        Path config = work.resolve("registry.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + work.resolve("registry-data") + "\nhttp:\n  addr: " + registryAddress + "\n");
        registry = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("registry.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
        Path layout = buildBusyboxImage();
        sh("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + registryAddress + "/test/busybox:v1");
        // Tiny budget: every image no pod uses is collected at the next chance.
        f = new RuncFixture(work.resolve("agent"), c -> c.withImages(work.resolve("agent/images"), 1));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (f != null) {
                f.close();
            }
        } finally {
            registry.destroy();
            if (!registry.waitFor(5, TimeUnit.SECONDS)) {
                registry.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An OCI layout with busybox and its links, an os-release, an env var and a working folder. */
    private Path buildBusyboxImage() throws Exception {
        Path layout = work.resolve("build/layout");
        Path bundle = work.resolve("build/bundle");
        sh("umoci", "init", "--layout", layout.toString());
        sh("umoci", "new", "--image", layout + ":v1");
        sh("umoci", "unpack", "--image", layout + ":v1", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("srv"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        rootfs.resolve("bin/busybox").toFile().setExecutable(true, false);
        for (String applet : List.of("sh", "cat", "echo", "id", "pwd", "touch", "ls")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/os-release"), "NAME=\"farget-test-image\"\n");
        sh("umoci", "repack", "--image", layout + ":v1", bundle.toString());
        sh("umoci", "config", "--image", layout + ":v1", "--config.env", "PATH=/bin", "--config.env", "GREETING=from-image",
                "--config.workingdir", "/srv");
        sh("umoci", "config", "--image", layout + ":v1", "--tag", "arm", "--architecture", "arm64");
        return layout;
    }

    private void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private PodSpec imagePod(String name, String image) {
        return PodSpec.newBuilder().setName(name).addContainers(container("main", "sh", "-c",
                "echo $GREETING in $(pwd); cat /etc/os-release; if touch /x 2>/dev/null; then echo root=writable; else echo root=readonly; fi; "
                        + "echo tmp > /tmp/t && echo tmp=ok; sleep 0.3").setImage(image)).build();
    }

    @Test
    void podsRunTheImageFromTheRegistrySharingOneUnpackAndUnusedImagesAreCollected() throws Exception {
        String image = registryAddress + "/test/busybox:v1";

        String first = f.start(imagePod("first", image));
        String second = f.start(imagePod("second", image));
        f.awaitExit(first);
        f.awaitExit(second);

        for (String id : List.of(first, second)) {
            assertThat(f.exits.get(id).exitCode()).as(f.log(id, "main")).isZero();
            assertThat(f.log(id, "main")).contains("from-image in /srv", "farget-test-image", "root=readonly", "tmp=ok");
        }
        assertThat(f.runtime.images().unpackCount()).as("one unpack per image digest").isEqualTo(1);
        Path unpacked = f.config.imagesDir().resolve("unpacked");
        assertThat(listing(unpacked)).hasSize(1);

        f.runtime.remove(first);
        f.runtime.remove(second);
        f.runtime.images().collectGarbage();

        assertThat(listing(unpacked)).as("unused and over budget: removed").isEmpty();
        assertThat(listing(f.config.imagesDir().resolve("layout/blobs/sha256"))).as("blobs collected").isEmpty();
    }

    @Test
    void anImageForAnotherArchitectureIsRefusedAndAMissingOneSaysWhy() {
        String arm = "oci:" + work.resolve("build/layout") + ":arm";

        assertThatThrownBy(() -> f.start(imagePod("arm", arm))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("built for arm64");
        assertThatThrownBy(() -> f.start(imagePod("missing", registryAddress + "/test/nothing:v1")))
                .isInstanceOf(SandboxException.class).hasMessageContaining("cannot pull");
    }

    private static List<Path> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }
}
