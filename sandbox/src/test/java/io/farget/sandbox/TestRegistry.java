package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's docker-registry on 127.0.0.1 and a free port, and busybox images built with umoci and pushed with skopeo. */
final class TestRegistry implements AutoCloseable {
    final String address;
    private final Path work;
    private final Process process;

    TestRegistry(Path work) throws Exception {
        this.work = work;
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        address = "127.0.0.1:" + port;
        Path config = work.resolve("registry.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
                + work.resolve("registry-data") + "\nhttp:\n  addr: " + address + "\n");
        process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("registry.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
    }

    /**
     * Builds a busybox image (plus {@code randomBytes} of incompressible data in its layer), pushes it
     * as {@code test/<name>:v1} and returns its reference.
     */
    String pushBusybox(String name, int randomBytes) throws Exception {
        Path layout = work.resolve("build-" + name + "/layout");
        Path bundle = work.resolve("build-" + name + "/bundle");
        sh("umoci", "init", "--layout", layout.toString());
        sh("umoci", "new", "--image", layout + ":v1");
        sh("umoci", "unpack", "--image", layout + ":v1", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        rootfs.resolve("bin/busybox").toFile().setExecutable(true, false);
        for (String applet : List.of("sh", "sleep", "cat", "echo")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        if (randomBytes > 0) {
            byte[] data = new byte[randomBytes];
            new java.util.Random(42).nextBytes(data);
            Files.write(rootfs.resolve("random.bin"), data);
        }
        sh("umoci", "repack", "--image", layout + ":v1", bundle.toString());
        sh("umoci", "config", "--image", layout + ":v1", "--config.env", "PATH=/bin");
        String reference = address + "/test/" + name + ":v1";
        sh("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + reference);
        return reference;
    }

    static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
