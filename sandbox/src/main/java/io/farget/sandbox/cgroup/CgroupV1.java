package io.farget.sandbox.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * cgroup v1, including hybrid hosts (v1 controllers plus an empty cgroup2 mount at {@code unified}).
 * Each sub-folder of the root is a hierarchy; controllers may be comounted ({@code cpu,cpuacct} with
 * {@code cpu} and {@code cpuacct} as symbolic links to it) or separate, so they are probed, not assumed.
 */
public final class CgroupV1 implements Cgroups {
    private static final List<String> REQUIRED_CONTROLLERS = List.of("cpu", "cpuacct", "memory", "pids");

    private final Path root;

    public CgroupV1(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v1";
    }

    /** Every real hierarchy folder; symbolic links name a comounted hierarchy already listed. */
    List<Path> hierarchies() {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public List<Path> folders(String cgroupPath) {
        List<Path> found = new ArrayList<>();
        for (Path hierarchy : hierarchies()) {
            Path folder = CgroupFolders.resolve(hierarchy, cgroupPath);
            if (Files.isDirectory(folder)) {
                found.add(folder);
            }
        }
        return found;
    }

    @Override
    public Optional<CgroupUsage> usage(String cgroupPath) {
        Path memory = CgroupFolders.resolve(root.resolve("memory"), cgroupPath);
        Path cpuacct = CgroupFolders.resolve(root.resolve("cpuacct"), cgroupPath);
        if (!Files.isDirectory(memory) && !Files.isDirectory(cpuacct)) {
            return Optional.empty();
        }
        try {
            long charged = CgroupFolders.readNumber(memory.resolve("memory.usage_in_bytes"));
            // total_: this cgroup and its children (a pod's containers are sub-cgroups of it).
            long inactiveFile = CgroupFolders.readKeyed(memory.resolve("memory.stat"), "total_inactive_file");
            return Optional.of(new CgroupUsage(
                    CgroupFolders.readNumber(cpuacct.resolve("cpuacct.usage")),
                    charged,
                    CgroupFolders.readNumber(memory.resolve("memory.max_usage_in_bytes")),
                    CgroupFolders.readKeyed(memory.resolve("memory.oom_control"), "oom_kill"),
                    CgroupUsage.workingSet(charged, inactiveFile)));
        } catch (IOException e) {
            return Optional.empty(); // removed while reading: the pod is gone
        }
    }

    @Override
    public void remove(String cgroupPath) throws IOException {
        IOException first = null;
        for (Path hierarchy : hierarchies()) {
            try {
                CgroupFolders.removeTree(CgroupFolders.resolve(hierarchy, cgroupPath));
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Only the controllers limited here are created; runc creates the rest (cpuset needs its parent's values copied). */
    @Override
    public void limit(String cgroupPath, CgroupLimits limits) throws IOException {
        Path cpu = Files.createDirectories(CgroupFolders.resolve(root.resolve("cpu"), cgroupPath));
        CgroupFolders.write(cpu.resolve("cpu.cfs_period_us"), String.valueOf(CgroupLimits.CPU_PERIOD_MICROS));
        CgroupFolders.write(cpu.resolve("cpu.cfs_quota_us"), String.valueOf(limits.cpuQuotaMicros()));
        Path memory = Files.createDirectories(CgroupFolders.resolve(root.resolve("memory"), cgroupPath));
        CgroupFolders.write(memory.resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
        Path pids = Files.createDirectories(CgroupFolders.resolve(root.resolve("pids"), cgroupPath));
        CgroupFolders.write(pids.resolve("pids.max"), String.valueOf(limits.pids()));
    }

    @Override
    public void limitCpu(String cgroupPath, Long cpuMillis) throws IOException {
        Path cpu = CgroupFolders.resolve(root.resolve("cpu"), cgroupPath);
        CgroupFolders.write(cpu.resolve("cpu.cfs_quota_us"), cpuMillis == null ? "-1" : String.valueOf(CgroupLimits.cpuQuotaMicros(cpuMillis)));
    }

    @Override
    public Optional<String> problem() {
        for (String controller : REQUIRED_CONTROLLERS) {
            Path folder = root.resolve(controller);
            if (!Files.isDirectory(folder)) {
                return Optional.of("cgroup v1 controller '" + controller + "' is not mounted under " + root);
            }
            if (!Files.isWritable(folder)) {
                return Optional.of("cgroup v1 controller folder " + folder + " is not writable (run the agent as root)");
            }
        }
        return Optional.empty();
    }
}
