package io.farget.sandbox.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the network's commands (CNI plugins, iptables) where the pod network's "host" side lives: the
 * agent's own network namespace, or a named one ({@code ip netns exec NAME ...}) that a test made
 * without a default route. Blocking; thread-safe.
 */
final class HostNamespace {
    private static final Logger log = LoggerFactory.getLogger(HostNamespace.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** How a command ended: its exit code, stdout (a plugin's JSON) and stderr. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final String netns;

    /** @param netns a name from {@code ip netns list}, or null for the agent's own namespace */
    HostNamespace(String netns) {
        this.netns = netns;
    }

    Result run(List<String> command, Map<String, String> env, String stdin) throws IOException {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Process process = pb.start();
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            // Sequential reads are safe: plugins and iptables write a few lines to stderr at most,
            // far below the pipe's buffer, so neither side can block the other.
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            Result result = new Result(process.exitValue(), stdout, stderr);
            log.debug("{}{} -> {}", netns == null ? "" : "[netns " + netns + "] ", command, result.exitCode());
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }
}
