package io.farget.bench.cluster;

import io.farget.proto.v1.PodSpec;
import io.farget.sandbox.FakeRuntime.Script;
import io.farget.sandbox.SandboxRequest;
import java.time.Duration;
import java.util.List;

/**
 * What each fake pod does: runs until stopped (the benchmark measures pods reaching RUNNING), or
 * runs for {@code runFor} and exits with {@code exitCode}; without {@code runFor}, a pod whose
 * command is {@code sleep SECONDS} exits 0 after that long. Usage counters grow as a busy pod's would.
 */
public record PodScripts(Duration runFor, int exitCode) {
    public static PodScripts runForever() {
        return new PodScripts(null, 0);
    }

    /** Whether a pod of {@code spec} ends by itself (then one that is no longer RUNNING is not stuck). */
    boolean ends(PodSpec spec) {
        return lifetime(spec) != null;
    }

    Script scriptFor(SandboxRequest request) {
        Duration lifetime = lifetime(request.spec());
        Script script = lifetime == null ? Script.runForever() : Script.exitAfter(lifetime, runFor != null ? exitCode : 0);
        return script.withUsage(100_000_000L, 32L << 20);
    }

    /** How long a pod of {@code spec} runs: {@code runFor}, else its {@code sleep SECONDS}; null: until stopped. */
    private Duration lifetime(PodSpec spec) {
        return runFor != null ? runFor : sleepOf(spec);
    }

    /** {@code sleep SECONDS} as a pod's first command (a replayed trace pod's lifetime), or null (e.g. {@code sleep infinity}). */
    static Duration sleepOf(PodSpec spec) {
        if (spec.getContainersCount() == 0) {
            return null;
        }
        List<String> command = spec.getContainers(0).getCommandList();
        if (command.size() != 2 || !command.get(0).equals("sleep")) {
            return null;
        }
        try {
            return Duration.ofNanos((long) (Double.parseDouble(command.get(1)) * 1e9));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
