package io.farget.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessExits} against real processes: told once, when they end, child or not, and nothing left open. */
class ProcessExitsTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final LibC libc = LibC.get();
    private final List<Integer> started = new ArrayList<>();
    private ProcessExits exits;

    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        exits = ProcessExits.open(libc).orElseThrow(() -> new AssertionError("this kernel has pidfds (Linux 5.3+)"));
    }

    @AfterEach
    void cleanUp() {
        exits.close();
        for (int pid : started) {
            try {
                libc.kill(pid, 9);
            } catch (RuntimeException gone) {
                // ended already
            }
            try {
                libc.waitpid(pid, new int[1], 0);
            } catch (RuntimeException notOurs) {
                // collected, or not our child
            }
        }
    }

    private int spawn(String script) throws IOException {
        int pid = SessionSpawner.spawn(List.of("/bin/sh", "-c", script), dir.resolve("out.log"));
        started.add(pid);
        return pid;
    }

    @Test
    void aChildIsToldOnceWhenItEndsAndStaysForItsParentToCollect() throws Exception {
        int sleeper = spawn("exec sleep 60");
        AtomicInteger sleeperTold = new AtomicInteger();
        assertThat(exits.watch(sleeper, sleeperTold::incrementAndGet)).isTrue();

        // A process that ends at once, watched after the sleeper: once it is told, the loop has turned past the sleeper.
        int quick = spawn("exit 0");
        CountDownLatch quickTold = new CountDownLatch(1);
        exits.watch(quick, quickTold::countDown);
        assertThat(quickTold.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(sleeperTold).as("a running process is not told").hasValue(0);

        libc.kill(sleeper, 15);
        await().atMost(BOUND).until(() -> sleeperTold.get() == 1);
        int[] status = new int[1];
        assertThat(libc.waitpid(sleeper, status, LibC.WNOHANG)).as("still there for its parent").isEqualTo(sleeper);
        assertThat(WaitStatus.exitCode(status[0])).isEqualTo(128 + 15);
        assertThat(sleeperTold).as("told once").hasValue(1);
    }

    @Test
    void aProcessAlreadyGoneIsToldAtOnce() throws Exception {
        int gone = spawn("exit 0");
        libc.waitpid(gone, new int[1], 0);
        CountDownLatch told = new CountDownLatch(1);

        assertThat(exits.watch(gone, told::countDown)).isTrue();

        assertThat(told.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aProcessThatIsNotOurChildIsToldToo() throws Exception {
        // The shell starts sleep in the background and ends: sleep's parent is then not this JVM (as with an adopted shim).
        Path pidFile = dir.resolve("orphan.pid");
        int shell = spawn("sleep 60 >/dev/null 2>&1 & echo $! > " + pidFile);
        libc.waitpid(shell, new int[1], 0);
        int orphan = Integer.parseInt(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        started.add(orphan);
        CountDownLatch told = new CountDownLatch(1);
        exits.watch(orphan, told::countDown);

        libc.kill(orphan, 9);

        assertThat(told.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingStopsItsThreadAndReleasesEveryDescriptor() throws Exception {
        exits.close();
        long before = openDescriptors();
        long threadsBefore = watcherThreads(); // runtimes other tests in this JVM left open have theirs
        exits = ProcessExits.open(libc).orElseThrow();
        for (int i = 0; i < 3; i++) {
            exits.watch(spawn("exec sleep 60"), () -> { });
        }
        await().atMost(BOUND).until(() -> openDescriptors() >= before + 4); // the wake-up descriptor and three pidfds

        exits.close();

        assertThat(openDescriptors()).isEqualTo(before);
        assertThat(watcherThreads()).isEqualTo(threadsBefore);
        assertThat(exits.watch(started.get(0), () -> { })).as("a closed watcher takes nothing").isFalse();
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("process-exits")).count();
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
