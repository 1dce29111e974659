package io.farget.sandbox.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A FAKE cgroup v2 mount in a temporary folder: real v2 is not mounted on the build machines, so
 * the v2 code reads files laid out (and worded) as the kernel writes them. Unlike real cgroupfs,
 * folders holding files cannot be removed with rmdir here; {@link #emptyCgroup} makes ones that can.
 */
final class FakeCgroupV2Tree {
    final Path root;

    FakeCgroupV2Tree(Path root) throws IOException {
        this.root = root;
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
    }

    Path cgroup(String path, long usageUsec, long memoryCurrent, Long memoryPeak, long oomKills) throws IOException {
        Path folder = root.resolve(path.substring(1));
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("cpu.stat"), "usage_usec " + usageUsec + "\nuser_usec 1\nsystem_usec 2\nnr_periods 0\n");
        Files.writeString(folder.resolve("memory.current"), memoryCurrent + "\n");
        if (memoryPeak != null) {
            Files.writeString(folder.resolve("memory.peak"), memoryPeak + "\n");
        }
        Files.writeString(folder.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill " + oomKills + "\noom_group_kill 0\n");
        return folder;
    }

    Path emptyCgroup(String path) throws IOException {
        return Files.createDirectories(root.resolve(path.substring(1)));
    }
}
