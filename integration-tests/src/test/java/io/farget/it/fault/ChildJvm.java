package io.farget.it.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java process started inside a host's network namespace with this test's class path. It uses
 * {@code nsenter --net}, not {@code ip netns exec}: the latter remounts /sys in a new mount namespace,
 * which hides /sys/fs/cgroup from the agent and its runc sandboxes.
 */
final class ChildJvm {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code mainClass ARGS...} in {@code host}'s namespace with a small heap and a cheap JIT (the
     * machine has 2 cores and runs about ten of these). Output goes to {@code logDir/name.log}, appended
     * across restarts; with {@code pipeStdio} stdin and stdout are pipes to this test instead.
     * {@code classPath} is a {@link ClassPathSnapshot}.
     */
    static ChildJvm start(String name, Host host, Path logDir, String classPath, String heap, boolean pipeStdio, String mainClass,
            List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + host.netnsPath(), "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx" + heap, "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true",
                "-cp", classPath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile());
        if (pipeStdio) {
            builder.redirectError(log);
        } else {
            builder.redirectErrorStream(true).redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = builder.start();
        ChildJvm.log.info("Started {} in {} ({}), pid {}", name, host.namespace(), host.address(), process.pid());
        return new ChildJvm(name, process);
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no graceful close, no final flush. */
    void killNine() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM, then SIGKILL if it has not ended in 10 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                log.warn("{} ignored SIGTERM for 10 s; killing it", name);
                killNine();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
