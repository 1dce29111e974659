package io.farget.bench.cluster;

import io.farget.sandbox.FakeRuntime.Script;
import io.farget.sandbox.SandboxRequest;
import java.time.Duration;

/**
 * What each fake pod does: runs until stopped (the benchmark measures pods reaching RUNNING), or
 * runs for {@code runFor} and exits with {@code exitCode}. Usage counters grow as a busy pod's would.
 */
public record PodScripts(Duration runFor, int exitCode) {
    public static PodScripts runForever() {
        return new PodScripts(null, 0);
    }

    /** Whether pods end by themselves (then a pod that is no longer RUNNING is not stuck). */
    boolean exits() {
        return runFor != null;
    }

    Script scriptFor(SandboxRequest request) {
        Script script = runFor == null ? Script.runForever() : Script.exitAfter(runFor, exitCode);
        return script.withUsage(100_000_000L, 32L << 20);
    }
}
