package io.farget.sandbox.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runc command line, one method per subcommand the runtime uses. Blocking; thread-safe. */
public final class RuncCommand {
    private static final Logger log = LoggerFactory.getLogger(RuncCommand.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a runc call ended: its exit code and what it printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final String binary;
    private final Path stateRoot;

    public RuncCommand(String binary, Path stateRoot) {
        this.binary = binary;
        this.stateRoot = stateRoot;
    }

    public Path stateRoot() {
        return stateRoot;
    }

    /**
     * {@code runc run -d}: starts the container and returns once its init runs. Its stdout and stderr
     * (inherited by the container) append to {@code output}: runc -d needs files there, a pipe read to
     * its end would wait for the container to exit.
     */
    public Result runDetached(String id, PodLayout.ContainerBundle bundle, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary, "--root", stateRoot.toString(),
                "--log", bundle.runcLog().toString(), "--log-format", "json",
                "run", "-d", "--pid-file", bundle.pidFile().toString(), "--bundle", bundle.dir().toString(), id);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(output.toFile()));
        long began = System.nanoTime();
        Result result = await(pb.start(), "run " + id, false);
        log.debug("runc run {} took {} ms", id, (System.nanoTime() - began) / 1_000_000);
        return result;
    }

    /**
     * The command line of {@code runc run --keep} in the foreground: runc stays until the container's
     * init ends and exits with its code (128 + signal when killed); {@code --keep} leaves the stopped
     * container and its cgroup behind until {@link #deleteForce}, so its final counters and OOM count
     * can still be read. Whoever runs it must keep stdio away from pipes it does not drain.
     */
    public List<String> runForegroundCommand(String id, PodLayout.ContainerBundle bundle) {
        return List.of(binary, "--root", stateRoot.toString(), "--log", bundle.runcLog().toString(), "--log-format", "json",
                "run", "--keep", "--pid-file", bundle.pidFile().toString(), "--bundle", bundle.dir().toString(), id);
    }

    /**
     * {@code runc exec}: runs a command in the running container, in the foreground, with pipes for
     * its stdio. The caller must drain stdout and stderr and wait for the process.
     */
    public Process exec(String id, List<String> command) throws IOException {
        List<String> args = new ArrayList<>(List.of(binary, "--root", stateRoot.toString(), "exec", id));
        args.addAll(command);
        return new ProcessBuilder(args).start();
    }

    /**
     * {@code runc exec -d --process --console-socket}: starts the process described by
     * {@code processJson} (with {@code terminal} true) in the running container and returns once it
     * runs; runc hands the terminal's master to {@code consoleSocket} and writes the process's pid to
     * {@code pidFile}. runc's own messages go to {@code output} (a file: the process must not inherit a
     * pipe that is read to its end). The process is then a child of whoever is the subreaper.
     */
    public Result execOnTerminal(String id, Path processJson, Path consoleSocket, Path pidFile, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(binary, "--root", stateRoot.toString(), "exec", "-d",
                "--process", processJson.toString(), "--console-socket", consoleSocket.toString(),
                "--pid-file", pidFile.toString(), id);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(output.toFile()));
        Result result = await(pb.start(), "exec -d " + id, false);
        return new Result(result.exitCode(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** Sends a signal (name such as TERM or KILL) to the init, or with {@code all} to every process. */
    public Result kill(String id, String signal, boolean all) throws IOException {
        return all ? call("kill", "--all", id, signal) : call("kill", id, signal);
    }

    /** {@code runc delete -f}: kills what still runs and forgets the container. */
    public Result deleteForce(String id) throws IOException {
        return call("delete", "-f", id);
    }

    /** The container's state, or empty when runc does not know it. */
    public Optional<RuncState> state(String id) throws IOException {
        Result result = call("state", id);
        if (!result.ok()) {
            return Optional.empty();
        }
        JsonNode state = JSON.readTree(result.output());
        return Optional.of(new RuncState(state.path("id").asText(), state.path("pid").asInt(), state.path("status").asText()));
    }

    /** Whether runc keeps state for this id (a folder in its root), without running runc. */
    public boolean exists(String id) {
        return Files.isDirectory(stateRoot.resolve(id));
    }

    /** Container ids with state in the root, without running runc. */
    public List<String> ids() throws IOException {
        if (!Files.isDirectory(stateRoot)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(stateRoot)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code runc --version}'s first line. */
    public Result version() throws IOException {
        return await(new ProcessBuilder(binary, "--version").redirectErrorStream(true).start(), "--version", true);
    }

    private Result call(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary, "--root", stateRoot.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return await(process, String.join(" ", args), true);
    }

    private static Result await(Process process, String what, boolean readOutput) throws IOException {
        try {
            // Output is read before waiting: a full pipe would block runc forever.
            String output = readOutput ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("runc " + what + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            log.debug("runc {} -> {} {}", what, process.exitValue(), output.strip());
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for runc " + what, e);
        }
    }
}
