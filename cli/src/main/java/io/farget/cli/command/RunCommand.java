package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.spec.RunSpec;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a one-container pod and print its id (with --count, N identical pods, one id per line).",
        footer = {"", "Examples:", "  farget run --cpu 0.5 --memory 256Mi -- sh -c 'echo hello'",
                "  farget run --count 50 --name worker -- sleep 600"})
final class RunCommand extends ClientCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "Pod name, a DNS label. Default: the command's name.")
    String name;

    @Option(names = "--cpu", paramLabel = "CORES", converter = Converters.Cpu.class,
            description = "CPU to reserve, in cores (0.5) or millicores (500m). Default: 0.25.")
    Long cpuMillis;

    @Option(names = "--memory", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory to reserve: 64Mi, 1Gi, 512M or bytes. Default: 128Mi.")
    Long memoryBytes;

    @Option(names = "--arch", paramLabel = "ARCH", converter = Converters.Architecture.class,
            description = "x86_64, aarch64 or any (default).")
    Arch arch;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Container image. Default: none, the host's system folders read-only with a private /tmp.")
    String image;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "An environment variable; repeat for more.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--restart", paramLabel = "POLICY", converter = Converters.Restart.class,
            description = "never (default), on-failure or always.")
    RestartPolicy restart;

    @Option(names = "--count", paramLabel = "N", converter = Converters.PodCount.class,
            description = "Create N identical pods (1-1000) in one call; prints every pod, in order (a JSON array with -o json).")
    Integer count;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The command and its arguments, after --.")
    List<String> command;

    RunCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        PodSpec spec = new RunSpec(name, cpuMillis, memoryBytes, arch, image, env, restart, command).toPodSpec();
        if (count == null) {
            CreatePodRequest request = CreatePodRequest.newBuilder().setSpec(spec).setRequestId(RequestIds.next()).build();
            PodPrinter.printCreated(this, output, client.call(DEADLINE, stubs -> stubs.pods().createPod(request)));
            return;
        }
        CreatePodsRequest.Builder batch = CreatePodsRequest.newBuilder();
        String requestId = RequestIds.next();
        for (int i = 0; i < count; i++) {
            // one id per pod, all fixed before the first attempt: a retried call creates each pod once
            batch.addPods(CreatePodRequest.newBuilder().setSpec(spec).setRequestId(requestId + "-" + i));
        }
        CreatePodsRequest request = batch.build();
        PodPrinter.printAllCreated(this, output, client.call(DEADLINE, stubs -> stubs.pods().createPods(request)).getPodsList());
    }
}
