package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.PodIds;
import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.net.CniSettings;
import io.farget.sandbox.net.TestNetns;
import io.farget.sandbox.oci.HostFolders;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.oci.OciSpecBuilder;
import io.farget.sandbox.oci.UserIds;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures and PRINTS (asserts only that things ran): pod start next to a bare {@code runc run -d} of
 * the same spec in the same run, image pull+unpack times, and this JVM's RSS with 50 running pods.
 * About a minute on a loaded 2-core machine, so only on request:
 * {@code mvn -B -ntp -o -pl sandbox test -Dtest=PodStartReport -Dfarget.report=true}.
 */
@Tag("runc")
@Tag("report")
@EnabledIfSystemProperty(named = "farget.report", matches = "true")
class PodStartReport {
    private static final int RUNS = 20;
    private static final int RSS_PODS = 50;

    @TempDir
    Path work;

    @Test
    void report() throws Exception {
        StringBuilder table = new StringBuilder("\n=== farget pod start report (").append(Instant.now()).append(") ===\n");
        try (TestRegistry registry = new TestRegistry(work); TestNetns netns = new TestNetns()) {
            String small = registry.pushBusybox("small", 0);
            String large = registry.pushBusybox("large", 50 << 20);
            CniSettings cni = CniSettings.defaults(work.resolve("agent/cni")).withBridge(netns.bridge).withSubnet(netns.subnet)
                    .inHostNetns(netns.name);
            try (RuncFixture plain = new RuncFixture(work.resolve("agent"), c -> c.withPidsLimit(64));
                 RuncFixture networked = new RuncFixture(work.resolve("agent-cni"), c -> c.withCni(cni))) {
                row(table, "pull+unpack " + sizeOf(registry, small), List.of(pullMillis(plain, small)), null);
                row(table, "pull+unpack " + sizeOf(registry, large), List.of(pullMillis(plain, large)), null);

                CachedImage image = plain.runtime.images().acquire(small, "baseline");
                PodSpec one = PodSpec.newBuilder().setName("one").addContainers(container("main", "sleep", "3600").setImage(small)).build();
                PodSpec three = PodSpec.newBuilder().setName("three")
                        .addContainers(container("a", "sleep", "3600").setImage(small))
                        .addContainers(container("b", "sleep", "3600").setImage(small))
                        .addContainers(container("c", "sleep", "3600").setImage(small)).build();
                podStart(plain, one); // warm-up: class loading and JIT are not what a running agent pays per pod
                podStart(networked, three);
                List<Double> bare = new ArrayList<>();
                List<Double> ones = new ArrayList<>();
                List<Double> threes = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) { // interleaved: the machine's load (others build here) hits all three alike
                    bare.add(bareRunc(plain, image, work.resolve("bare")));
                    ones.add(podStart(plain, one));
                    threes.add(podStart(networked, three));
                }
                row(table, "bare runc run -d (same spec)", bare, null);
                row(table, "pod, 1 container, cached image", ones, bare);
                row(table, "pod, 3 containers + CNI network", threes, bare);
                plain.runtime.images().release("baseline");

                long before = rssKib();
                List<String> running = new ArrayList<>();
                for (int i = 0; i < RSS_PODS; i++) {
                    running.add(plain.start(PodSpec.newBuilder().setName("rss" + i)
                            .addContainers(container("main", "sleep", "3600").setImage(small)).build()));
                }
                long with = rssKib();
                System.gc();
                long afterGc = rssKib();
                table.append(String.format("JVM RSS: %d MiB before, %d MiB with %d running pods (%d MiB after System.gc()); "
                        + "heap max %d MiB%n", before >> 10, with >> 10, RSS_PODS, afterGc >> 10, Runtime.getRuntime().maxMemory() >> 20));
                for (String id : running) {
                    plain.runtime.remove(id);
                }
            }
        }
        System.out.println(table);
        Files.writeString(Path.of("target", "pod-start-report.txt"), table.toString(), StandardCharsets.UTF_8);
    }

    private static String sizeOf(TestRegistry registry, String reference) {
        return reference.substring(reference.lastIndexOf('/') + 1);
    }

    private static double pullMillis(RuncFixture f, String reference) throws Exception {
        long began = System.nanoTime();
        f.runtime.images().acquire(reference, "pull-" + PodIds.newId());
        return (System.nanoTime() - began) / 1e6;
    }

    /** createdAt (just before start) to the pod's startedAt (its first main container running), then removed. */
    private static double podStart(RuncFixture f, PodSpec spec) throws Exception {
        Instant created = Instant.now();
        String id = f.start(spec);
        Instant started = f.runtime.status(id).orElseThrow().startedAt();
        f.runtime.remove(id);
        return Duration.between(created, started).toNanos() / 1e6;
    }

    /** {@code runc run -d} of the spec the runtime would write for the image's one container, run and killed by hand. */
    private static double bareRunc(RuncFixture f, CachedImage image, Path dir) throws Exception {
        String id = "bare-" + PodIds.newId();
        Path bundle = Files.createDirectories(dir.resolve(id));
        OciContainer c = new OciContainer("bare", List.of("sleep", "3600"), Map.of("PATH", "/bin"), "/", 200, 32 << 20, 64,
                "/" + f.parent + "/" + id, UserIds.ROOT, List.of(), null, image.rootfs());
        Files.writeString(bundle.resolve("config.json"), OciSpecBuilder.toJson(OciSpecBuilder.build(c, HostFolders.probe())));
        Path pidFile = bundle.resolve("pid");
        long began = System.nanoTime();
        Process p = new ProcessBuilder(f.config.runcBinary(), "--root", f.config.stateRoot().toString(), "run", "-d",
                "--pid-file", pidFile.toString(), "--bundle", bundle.toString(), id)
                .redirectInput(new File("/dev/null")).redirectOutput(bundle.resolve("out").toFile())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        double millis = (System.nanoTime() - began) / 1e6;
        assertThat(p.exitValue()).as(Files.readString(bundle.resolve("out"))).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        LibC.get().kill(pid, 9);
        LibC.get().waitpid(pid, new int[1], 0); // we are its reaper: runc delete stalls on a zombie
        TestRegistry.sh(f.config.runcBinary(), "--root", f.config.stateRoot().toString(), "delete", "-f", id);
        f.runtime.cgroups().remove("/" + f.parent + "/" + id);
        return millis;
    }

    private static void row(StringBuilder table, String what, List<Double> millis, List<Double> baseline) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double max = sorted.get(sorted.size() - 1);
        String ratio = "";
        if (baseline != null) {
            List<Double> b = new ArrayList<>(baseline);
            Collections.sort(b);
            ratio = String.format("  (x%.2f median, x%.2f max of bare runc)", median / b.get(b.size() / 2), max / b.get(b.size() - 1));
        }
        table.append(String.format("%-40s n=%2d  median %7.1f ms  max %7.1f ms%s%n", what, millis.size(), median, max, ratio));
    }

    private static long rssKib() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }
}
