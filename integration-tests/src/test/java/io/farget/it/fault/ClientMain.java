package io.farget.it.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.farget.cli.FargetCli;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.client.ServerAddress;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The harness's client, a process inside the switch namespace (the only place that reaches every
 * host, so the test JVM itself never sends anything to a test address). It reads one JSON request
 * per line on stdin and answers one JSON line on stdout, carrying the request's {@code seq}:
 * <ul>
 *   <li>{@code {"op":"create","name":..,"requestId":..,"runtime":..,"command":[..],"budgetMillis":..}}:
 *       CreatePod over gRPC, retried with the SAME request id until a replica accepts it or the
 *       budget is spent: {@code {"ok":true,"id":..,"tries":..}} or {@code {"ok":false,"error":..}};</li>
 *   <li>{@code {"op":"cli","args":[..]}}: one {@code farget} CLI command: {@code {"exit":..,"stdout":..,"stderr":..}}.</li>
 * </ul>
 */
public final class ClientMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(3);

    private ClientMain() {}

    public static void main(String[] argv) throws Exception {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // logging must never reach the protocol stream
        String servers = argv[0];
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode request = JSON.readTree(line);
            ObjectNode answer = switch (request.path("op").asText()) {
                case "create" -> create(servers, request);
                case "cli" -> cli(servers, request);
                default -> JSON.createObjectNode().put("ok", false).put("error", "unknown op");
            };
            answer.put("seq", request.path("seq").asLong()); // the test matches answers to requests by it
            protocol.println(JSON.writeValueAsString(answer));
        }
    }

    private static ObjectNode create(String servers, JsonNode request) throws InterruptedException {
        List<String> command = new ArrayList<>();
        request.path("command").forEach(c -> command.add(c.asText()));
        CreatePodRequest create = CreatePodRequest.newBuilder()
                .setRequestId(request.path("requestId").asText())
                .setSpec(PodSpec.newBuilder().setName(request.path("name").asText())
                        .setRestart(RestartPolicy.RESTART_POLICY_ALWAYS)
                        .addNodeSelector(LabelSelector.newBuilder().setKey("runtime").addValues(request.path("runtime").asText()))
                        .addContainers(ContainerSpec.newBuilder().setName("main").addAllCommand(command)
                                .setResources(Resources.newBuilder().setCpuMillis(10).setMemoryBytes(4L << 20))))
                .build();
        long deadline = System.nanoTime() + request.path("budgetMillis").asLong() * 1_000_000;
        int tries = 0;
        String error;
        do {
            tries++;
            try (SchedulerClient client = new SchedulerClient(ServerAddress.parseList(servers))) {
                Pod pod = client.call(CALL_DEADLINE, stubs -> stubs.pods().createPod(create));
                return JSON.createObjectNode().put("ok", true).put("id", pod.getId()).put("tries", tries);
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return JSON.createObjectNode().put("ok", false).put("error", error).put("tries", tries);
    }

    private static ObjectNode cli(String servers, JsonNode request) {
        List<String> args = new ArrayList<>();
        request.path("args").forEach(a -> args.add(a.asText()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FargetCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FARGET_SERVER", servers), args.toArray(String[]::new));
        return JSON.createObjectNode().put("exit", exit)
                .put("stdout", out.toString(StandardCharsets.UTF_8)).put("stderr", err.toString(StandardCharsets.UTF_8));
    }
}
