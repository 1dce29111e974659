package io.farget.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v1 on fixture trees: separate cpu/cpuacct (as on the build machines) and comounted cpu,cpuacct. */
class CgroupV1Test {
    @TempDir
    Path root;

    private Path folder(String hierarchy, String path) throws IOException {
        return Files.createDirectories(root.resolve(hierarchy).resolve(path.substring(1)));
    }

    @Test
    void readsCountersFromSeparateHierarchies() throws IOException {
        Files.writeString(folder("cpuacct", "/farget/p").resolve("cpuacct.usage"), "123456789\n");
        Path memory = folder("memory", "/farget/p");
        Files.writeString(memory.resolve("memory.usage_in_bytes"), "4096\n");
        Files.writeString(memory.resolve("memory.max_usage_in_bytes"), "8192\n");
        Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");

        CgroupUsage usage = new CgroupV1(root).usage("/farget/p").orElseThrow();

        assertThat(usage).isEqualTo(new CgroupUsage(123456789, 4096, 8192, 2));
    }

    @Test
    void theWorkingSetLeavesOutInactivePageCacheOfTheWholeSubtree() throws IOException {
        Files.writeString(folder("cpuacct", "/farget/p").resolve("cpuacct.usage"), "1\n");
        Path memory = folder("memory", "/farget/p");
        Files.writeString(memory.resolve("memory.usage_in_bytes"), "100000\n");
        Files.writeString(memory.resolve("memory.max_usage_in_bytes"), "130000\n");
        // inactive_file is this cgroup's own; total_inactive_file adds its containers' sub-cgroups.
        Files.writeString(memory.resolve("memory.stat"), "cache 40000\ninactive_file 1000\ntotal_inactive_file 30000\n");

        CgroupUsage usage = new CgroupV1(root).usage("/farget/p").orElseThrow();

        assertThat(usage.workingSetBytes()).isEqualTo(70000);
        assertThat(usage.memoryBytes()).isEqualTo(100000);
        assertThat(usage.peakMemoryBytes()).isEqualTo(130000);
    }

    @Test
    void comountedControllersAreReadThroughTheirLinksAndRemovedOnce() throws IOException {
        Files.writeString(folder("cpu,cpuacct", "/farget/p").resolve("cpuacct.usage"), "7\n");
        Files.createSymbolicLink(root.resolve("cpuacct"), Path.of("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpu"), Path.of("cpu,cpuacct"));
        folder("pids", "/farget/p/child");
        CgroupV1 cgroups = new CgroupV1(root);

        assertThat(cgroups.usage("/farget/p").orElseThrow().cpuNanos()).isEqualTo(7);
        assertThat(cgroups.hierarchies()).containsExactly(root.resolve("cpu,cpuacct"), root.resolve("pids"));
        Files.delete(root.resolve("cpu,cpuacct/farget/p/cpuacct.usage")); // a real cgroup's files vanish with rmdir

        cgroups.remove("/farget/p");

        assertThat(cgroups.folders("/farget/p")).isEmpty();
        assertThat(root.resolve("pids/farget")).isDirectory();
    }

    @Test
    void aMissingPodHasNoUsage() {
        assertThat(new CgroupV1(root).usage("/farget/none")).isEmpty();
    }
}
