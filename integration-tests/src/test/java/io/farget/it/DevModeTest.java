package io.farget.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `farget dev` as users run it: a separate process, stopped with SIGTERM. It must leave no runc
 * container, cgroup or mount behind, and find its pods again when started on the same data dir.
 */
@Tag("runc")
class DevModeTest {
    @TempDir
    Path dataDir;

    private final String cgroupParent = "farget-devit-" + UUID.randomUUID().toString().substring(0, 8);
    private Process dev;

    @AfterEach
    void killDev() throws Exception {
        if (dev != null && dev.isAlive()) {
            dev.destroy();
            if (!dev.waitFor(60, TimeUnit.SECONDS)) {
                dev.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        for (String id : runcContainers()) {
            new ProcessBuilder("runc", "--root", dataDir.resolve("agent/runc").toString(), "delete", "-f", id)
                    .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        }
        for (Path leftover : cgroupFolders()) {
            try (var dirs = Files.walk(leftover)) {
                dirs.sorted(java.util.Comparator.reverseOrder()).forEach(d -> d.toFile().delete());
            }
        }
    }

    @Test
    void stoppedDevLeavesNothingBehindAndKeepsItsStateAcrossARestart() throws Exception {
        int port = freePort();
        String server = "127.0.0.1:" + port;
        dev = startDev(port);

        String sleeper = CliRun.of(server, "run", "--name", "sleeper", "--", "sleep", "600").assertOk().stdout().trim();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> CliRun.of(server, "get", sleeper, "-o", "json").assertOk().json().path("phase").asText().equals("RUNNING"));
        assertThat(cgroupFolders()).isNotEmpty();

        dev.destroy(); // SIGTERM, as Ctrl-C or systemd would
        assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as("dev stops within 60 s").isTrue();

        assertThat(runcContainers()).isEmpty();
        assertThat(cgroupFolders()).as("cgroup folders of dev's pods, in any hierarchy").isEmpty();
        assertThat(mountsUnder(dataDir)).isEmpty();

        dev = startDev(port);
        var pod = CliRun.of(server, "get", sleeper, "-o", "json").assertOk().json();
        assertThat(pod.path("name").asText()).isEqualTo("sleeper");
        // dev killed it on the way down, and the agent's last report reached the scheduler first
        assertThat(pod.path("phase").asText()).isEqualTo("KILLED");
    }

    private Process startDev(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.farget.launcher.Main",
                "dev", "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--cgroup-parent", cgroupParent,
                "--grace", "1")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("farget dev ready")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new AssertionError("farget dev ended before ready: " + output));
        }, "dev-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(90, TimeUnit.SECONDS);
        return process;
    }

    private List<String> runcContainers() throws Exception {
        Process list = new ProcessBuilder("runc", "--root", dataDir.resolve("agent/runc").toString(), "list", "-q")
                .redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        list.waitFor(10, TimeUnit.SECONDS);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private List<Path> cgroupFolders() throws IOException {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            return hierarchies.map(h -> h.resolve(cgroupParent)).filter(Files::exists).toList();
        }
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(dir.toString())).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
