package io.farget.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.linux.ProcessExits;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.linux.SessionSpawner;
import io.farget.sandbox.runc.PodLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exits are handled when the kernel signals them, not at the next sweep: both watchers here sweep once an
 * hour, so only the signal can answer within the bound.
 */
class ExitWatcherTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private final LibC libc = LibC.get();
    private final ProcessExits exits = ProcessExits.open(libc).orElseThrow();
    private final Reaper reaper = new Reaper(libc, Optional.of(exits), NEVER);
    private final ExitWatcher watcher = new ExitWatcher(Optional.of(exits), NEVER);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        exits.close();
        reaper.close();
        watcher.close();
    }

    @Test
    void aShimsExitCodeIsReadWhenItEndsAndTheShimIsCollected() throws Exception {
        PodLayout.ContainerBundle bundle = new PodLayout.ContainerBundle(dir);
        // What a shim does: write the container's exit code, then end.
        int shim = SessionSpawner.spawn(List.of("/bin/sh", "-c", "sleep 0.2; echo 42 > " + bundle.exitCodeFile() + "; exit 0"),
                dir.resolve("shim.log"));
        CompletableFuture<Integer> containerExit = new CompletableFuture<>();
        CompletableFuture<Integer> shimExit = new CompletableFuture<>();
        reaper.watch(shim, new Reaper.Watcher() {
            @Override
            public void exited(int exitCode) {
                shimExit.complete(exitCode);
            }

            @Override
            public void vanished() {
                shimExit.complete(-1);
            }
        });
        watcher.watch(bundle, shim, new ExitWatcher.Watcher() {
            @Override
            public void exited(int exitCode) {
                containerExit.complete(exitCode);
            }

            @Override
            public void vanished() {
                containerExit.complete(-1);
            }
        });

        assertThat(containerExit.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(shimExit.get(10, TimeUnit.SECONDS)).as("collected by the reaper, not left a zombie").isZero();
        assertThat(watcher.watchedCount()).isZero();
        assertThat(reaper.watchedCount()).isZero();
    }
}
