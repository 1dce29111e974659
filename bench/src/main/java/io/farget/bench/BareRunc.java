package io.farget.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: runc alone, driven by hand with the bundle `runc spec` makes, given the same
 * read-only view of the host's system folders that Farget gives image-less pods. No Farget code.
 */
final class BareRunc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path workDir;
    private final Path bundle;
    private final Path stateRoot;

    BareRunc(Path workDir) throws IOException, InterruptedException {
        this.workDir = workDir;
        this.bundle = workDir.resolve("bundle");
        this.stateRoot = workDir.resolve("runc");
        Files.createDirectories(bundle.resolve("rootfs"));
        run(List.of("runc", "spec", "--bundle", bundle.toString()));
        prepareRootfs(bundle.resolve("rootfs"));
    }

    /** Time of `runc run -d` (create and start, returns once the process runs) of {@code args}. */
    long timeDetachedRunNanos(String id, List<String> args) throws IOException, InterruptedException {
        ObjectNode spec = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        spec.put("hostname", "bare");
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        ArrayNode argv = process.putArray("args");
        args.forEach(argv::add);
        ((ObjectNode) spec.get("linux")).put("cgroupsPath", "/farget-bench/" + id);
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        if (!mounts.toString().contains("\"/usr\"")) {
            for (String dir : List.of("/usr", "/etc")) {
                ObjectNode bind = mounts.addObject();
                bind.put("destination", dir).put("type", "bind").put("source", dir);
                bind.putArray("options").add("rbind").add("ro").add("nosuid").add("nodev");
            }
            ObjectNode tmp = mounts.addObject();
            tmp.put("destination", "/tmp").put("type", "tmpfs").put("source", "tmpfs");
            tmp.putArray("options").add("nosuid").add("nodev").add("mode=1777");
        }
        JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
        long began = System.nanoTime();
        run(List.of("runc", "--root", stateRoot.toString(), "run", "-d", "--bundle", bundle.toString(), id));
        long took = System.nanoTime() - began;
        run(List.of("runc", "--root", stateRoot.toString(), "delete", "-f", id));
        for (String hierarchy : new String[] {"cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer", "cpuset", "systemd", "unified"}) {
            removeCgroup(Path.of("/sys/fs/cgroup", hierarchy, "farget-bench", id));
        }
        return took;
    }

    /** rmdir, retried for a while: the killed init may still be on its way out of the cgroup when runc delete returns. */
    private static void removeCgroup(Path folder) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                Files.deleteIfExists(folder);
                return;
            } catch (java.nio.file.FileSystemException busy) {
                if (System.nanoTime() > deadline) {
                    throw busy;
                }
                Thread.sleep(5);
            }
        }
    }

    private static void prepareRootfs(Path rootfs) throws IOException {
        for (String name : new String[] {"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
            Path host = Path.of("/", name);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(rootfs.resolve(name), Files.readSymbolicLink(host));
            }
        }
        for (String dir : new String[] {"usr", "etc", "tmp", "proc", "dev", "sys"}) {
            Files.createDirectories(rootfs.resolve(dir));
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (String hierarchy : new String[] {"cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer", "cpuset", "systemd", "unified"}) {
                removeCgroup(Path.of("/sys/fs/cgroup", hierarchy, "farget-bench"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (var files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
