package io.farget.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The test's side of {@link ClientMain}: submits pods and runs CLI commands from inside the test network. */
final class Client implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SLACK = Duration.ofSeconds(60);

    /** What one submission ended with: accepted (with the pod id) or not. */
    record Submission(String name, String requestId, boolean accepted, String podId, int tries, String error) {}

    /** One CLI command's exit code and output. */
    record CliResult(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON on stdout: " + stdout + " (stderr: " + stderr + ")", e);
            }
        }

        CliResult assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + stderr);
            }
            return this;
        }
    }

    private final ChildJvm process;
    private final PrintStream requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private long seq;

    Client(Host switchHost, Path logDir, String classPath, String servers) throws IOException {
        this.process = ChildJvm.start("client", switchHost, logDir, classPath, "128m", true, ClientMain.class.getName(), List.of(servers));
        this.requests = new PrintStream(process.process().getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "fault-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.process().getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                answers.add(line);
            }
        } catch (IOException e) {
            // the client process ended; ask() reports the missing answer
        }
    }

    /** Submits a restart-always pod running {@code command} on an agent with {@code runtime}, retrying for up to {@code budget}. */
    synchronized Submission create(String name, String requestId, String runtime, List<String> command, Duration budget) {
        ObjectNode request = JSON.createObjectNode().put("op", "create").put("name", name).put("requestId", requestId)
                .put("runtime", runtime).put("budgetMillis", budget.toMillis());
        command.forEach(request.putArray("command")::add);
        JsonNode answer = ask(request, budget.plus(SLACK));
        return new Submission(name, requestId, answer.path("ok").asBoolean(), answer.path("id").asText(null),
                answer.path("tries").asInt(), answer.path("error").asText(null));
    }

    synchronized CliResult cli(String... args) {
        ObjectNode request = JSON.createObjectNode().put("op", "cli");
        for (String arg : args) {
            request.withArray("args").add(arg);
        }
        JsonNode answer = ask(request, SLACK);
        return new CliResult(answer.path("exit").asInt(), answer.path("stdout").asText(), answer.path("stderr").asText());
    }

    /**
     * Sends one request and waits for ITS answer: a caller interrupted while waiting (an Awaitility
     * timeout) leaves an answer behind, which the next caller must skip.
     */
    private JsonNode ask(ObjectNode request, Duration timeout) {
        try {
            long mine = ++seq;
            requests.println(JSON.writeValueAsString(request.put("seq", mine)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("the client process gave no answer in " + timeout.toSeconds() + " s (alive: " + process.isAlive() + ")");
                }
                JsonNode answer = JSON.readTree(line);
                if (answer.path("seq").asLong() == mine) {
                    return answer;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from the client process", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        requests.close();
        process.stop();
    }
}
