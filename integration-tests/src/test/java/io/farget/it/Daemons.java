package io.farget.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Farget daemons as separate processes (the launcher's main on this test's class path), so a test
 * can kill -9 them. {@link #close()} stops whatever is still running.
 */
final class Daemons implements AutoCloseable {
    private final Path logDir;
    private final List<Process> running = new ArrayList<>();

    Daemons(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts {@code farget ARGS...}; its output goes to a file named after {@code name}. */
    Process start(String name, String... args) throws IOException {
        return start(name, List.of("-XX:+UseSerialGC", "-Xmx256m"), args);
    }

    /** Starts {@code farget ARGS...} in a JVM with these options. */
    Process start(String name, List<String> jvmOptions, String... args) throws IOException {
        return start(name, jvmOptions, java.util.Map.of(), args);
    }

    /** Starts {@code farget ARGS...} in a JVM with these options and these extra environment variables. */
    Process start(String name, List<String> jvmOptions, java.util.Map<String, String> env, String... args) throws IOException {
        return start(name, jvmOptions, List.of("-cp", System.getProperty("java.class.path"), "io.farget.launcher.Main"), env, args);
    }

    /**
     * Starts {@code java -jar farget.jar ARGS...} from the launcher's packaged jar, as operators run it
     * (one jar, no test resources on the class path), when the build made it; else as {@link #start}.
     */
    Process startPackaged(String name, List<String> jvmOptions, java.util.Map<String, String> env, String... args)
            throws IOException {
        Path jar = Path.of("..", "launcher", "target", "farget.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            return start(name, jvmOptions, env, args);
        }
        return start(name, jvmOptions, List.of("-jar", jar.toString()), env, args);
    }

    private Process start(String name, List<String> jvmOptions, List<String> mainClass, java.util.Map<String, String> env,
                          String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile())).start();
        running.add(process);
        return process;
    }

    /** kill -9: no shutdown hook, no graceful close, no final flush. */
    static void killNine(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : running) {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }
}
