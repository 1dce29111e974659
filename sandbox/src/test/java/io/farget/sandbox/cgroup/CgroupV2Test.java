package io.farget.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV2Test {
    @TempDir
    Path dir;
    FakeCgroupV2Tree tree;

    @BeforeEach
    void setUp() throws IOException {
        tree = new FakeCgroupV2Tree(dir);
    }

    @Test
    void detectsV2ByItsControllersFile() {
        assertThat(Cgroups.detect(dir)).isInstanceOf(CgroupV2.class);
        assertThat(Cgroups.detect(dir).version()).isEqualTo("v2");
    }

    @Test
    void readsCpuMemoryPeakAndOomKills() throws IOException {
        tree.cgroup("/farget/pod1", 2_500_000, 10_000_000, 30_000_000L, 1);

        CgroupUsage usage = Cgroups.detect(dir).usage("/farget/pod1").orElseThrow();

        assertThat(usage).isEqualTo(new CgroupUsage(2_500_000_000L, 10_000_000, 30_000_000, 1));
        assertThat(usage.oomKilled()).isTrue();
    }

    @Test
    void theWorkingSetLeavesOutInactivePageCache() throws IOException {
        tree.cgroup("/farget/pod1", 10, 50_000, 80_000L, 0);
        java.nio.file.Files.writeString(dir.resolve("farget/pod1/memory.stat"), "anon 30000\nfile 20000\ninactive_file 15000\nactive_file 5000\n");

        CgroupUsage usage = Cgroups.detect(dir).usage("/farget/pod1").orElseThrow();

        assertThat(usage.workingSetBytes()).isEqualTo(35_000);
        assertThat(usage.peakMemoryBytes()).isEqualTo(80_000);
    }

    @Test
    void aWorkingSetNeverGoesBelowZero() {
        assertThat(CgroupUsage.workingSet(100, 150)).isZero();
    }

    @Test
    void withoutMemoryPeakThePeakIsTheCurrentUsage() throws IOException {
        tree.cgroup("/farget/pod1", 10, 4096, null, 0);

        CgroupUsage usage = Cgroups.detect(dir).usage("/farget/pod1").orElseThrow();

        assertThat(usage.peakMemoryBytes()).isEqualTo(4096);
        assertThat(usage.oomKilled()).isFalse();
    }

    @Test
    void aMissingCgroupHasNoUsageAndNoFolders() {
        assertThat(Cgroups.detect(dir).usage("/farget/nope")).isEmpty();
        assertThat(Cgroups.detect(dir).folders("/farget/nope")).isEmpty();
    }

    @Test
    void removesThePodAndItsSubCgroupsLeafFirstButKeepsTheParent() throws IOException {
        tree.emptyCgroup("/farget/pod1/pause");
        tree.emptyCgroup("/farget/pod1/web");
        tree.emptyCgroup("/farget/pod2");
        Cgroups cgroups = Cgroups.detect(dir);

        cgroups.remove("/farget/pod1");
        cgroups.remove("/farget/pod1"); // already gone: fine

        assertThat(dir.resolve("farget/pod1")).doesNotExist();
        assertThat(dir.resolve("farget/pod2")).isDirectory();
    }

    @Test
    void neverDeletesFilesAFolderWithFilesIsNotACgroupToEmpty() throws IOException {
        Path folder = tree.cgroup("/farget/pod1", 1, 1, 1L, 0);

        assertThatThrownBy(() -> Cgroups.detect(dir).remove("/farget/pod1")).isInstanceOf(IOException.class);
        assertThat(folder.resolve("memory.current")).exists();
    }

    @Test
    void refusesPathsOutsideTheHierarchy() {
        assertThatThrownBy(() -> Cgroups.detect(dir).remove("/../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cgroups.detect(dir).remove("/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void preflightWantsCpuMemoryAndPidsControllers() throws IOException {
        assertThat(Cgroups.detect(dir).problem()).isEmpty();
        Files.writeString(dir.resolve("cgroup.controllers"), "cpu io\n");
        assertThat(Cgroups.detect(dir).problem()).get().asString().contains("'memory'");
    }

    @Test
    void limitEnablesControllersOnTheWayDownAndWritesThePodsLimits() throws java.io.IOException {
        FakeCgroupV2Tree tree = new FakeCgroupV2Tree(dir);

        new CgroupV2(dir).limit("/farget/pod", new CgroupLimits(1500, 64L << 20, 100));

        java.nio.file.Path pod = dir.resolve("farget/pod");
        assertThat(java.nio.file.Files.readString(dir.resolve("cgroup.subtree_control"))).isEqualTo("+cpu +memory +pids");
        assertThat(java.nio.file.Files.readString(dir.resolve("farget/cgroup.subtree_control"))).isEqualTo("+cpu +memory +pids");
        assertThat(java.nio.file.Files.readString(pod.resolve("cpu.max"))).isEqualTo("150000 100000");
        assertThat(java.nio.file.Files.readString(pod.resolve("memory.max"))).isEqualTo(String.valueOf(64L << 20));
        assertThat(java.nio.file.Files.readString(pod.resolve("pids.max"))).isEqualTo("100");
        assertThat(tree.root).isEqualTo(dir);
    }
}
