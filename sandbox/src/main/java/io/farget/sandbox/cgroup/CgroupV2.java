package io.farget.sandbox.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The unified cgroup v2 hierarchy: one folder per cgroup, every controller in it. */
public final class CgroupV2 implements Cgroups {
    private static final List<String> REQUIRED_CONTROLLERS = List.of("cpu", "memory", "pids");

    private final Path root;

    public CgroupV2(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public List<Path> folders(String cgroupPath) {
        Path folder = CgroupFolders.resolve(root, cgroupPath);
        return Files.isDirectory(folder) ? List.of(folder) : List.of();
    }

    @Override
    public Optional<CgroupUsage> usage(String cgroupPath) {
        Path folder = CgroupFolders.resolve(root, cgroupPath);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try {
            long memory = CgroupFolders.readNumber(folder.resolve("memory.current"));
            // memory.peak exists from Linux 5.19 on; before that the best peak we know is "now".
            long peak = Files.exists(folder.resolve("memory.peak"))
                    ? CgroupFolders.readNumber(folder.resolve("memory.peak"))
                    : memory;
            return Optional.of(new CgroupUsage(
                    CgroupFolders.readKeyed(folder.resolve("cpu.stat"), "usage_usec") * 1000,
                    memory,
                    peak,
                    CgroupFolders.readKeyed(folder.resolve("memory.events"), "oom_kill"),
                    CgroupUsage.workingSet(memory, CgroupFolders.readKeyed(folder.resolve("memory.stat"), "inactive_file"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void remove(String cgroupPath) throws IOException {
        CgroupFolders.removeTree(CgroupFolders.resolve(root, cgroupPath));
    }

    /** Enables the controllers on the way down (as runc does), then writes the limits. */
    @Override
    public void limit(String cgroupPath, CgroupLimits limits) throws IOException {
        Path folder = CgroupFolders.resolve(root, cgroupPath);
        Path parent = root;
        for (Path name : root.relativize(folder)) {
            CgroupFolders.write(parent.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
            parent = Files.createDirectories(parent.resolve(name));
        }
        CgroupFolders.write(folder.resolve("cpu.max"), limits.cpuQuotaMicros() + " " + CgroupLimits.CPU_PERIOD_MICROS);
        CgroupFolders.write(folder.resolve("memory.max"), String.valueOf(limits.memoryBytes()));
        if (Files.exists(folder.resolve("memory.swap.max"))) { // absent on kernels built without swap accounting
            CgroupFolders.write(folder.resolve("memory.swap.max"), "0");
        }
        CgroupFolders.write(folder.resolve("pids.max"), String.valueOf(limits.pids()));
    }

    @Override
    public void limitCpu(String cgroupPath, Long cpuMillis) throws IOException {
        Path folder = CgroupFolders.resolve(root, cgroupPath);
        String quota = cpuMillis == null ? "max" : String.valueOf(CgroupLimits.cpuQuotaMicros(cpuMillis));
        CgroupFolders.write(folder.resolve("cpu.max"), quota + " " + CgroupLimits.CPU_PERIOD_MICROS);
    }

    @Override
    public Optional<String> problem() {
        if (!Files.isWritable(root)) {
            return Optional.of("cgroup v2 root " + root + " is not writable (run the agent as root)");
        }
        String controllers;
        try {
            controllers = " " + Files.readString(root.resolve("cgroup.controllers"), StandardCharsets.US_ASCII).trim() + " ";
        } catch (IOException e) {
            return Optional.of("cannot read " + root.resolve("cgroup.controllers") + ": " + e.getMessage());
        }
        for (String controller : REQUIRED_CONTROLLERS) {
            if (!controllers.contains(" " + controller + " ")) {
                return Optional.of("cgroup v2 controller '" + controller + "' is not enabled at " + root);
            }
        }
        return Optional.empty();
    }
}
