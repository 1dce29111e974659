package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.spec.RunSpec;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.RestartPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a one-container pod and print its id.",
        footer = {"", "Example:", "  farget run --cpu 0.5 --memory 256Mi -- sh -c 'echo hello'"})
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
        CreatePodRequest request = CreatePodRequest.newBuilder()
                .setSpec(new RunSpec(name, cpuMillis, memoryBytes, arch, image, env, restart, command).toPodSpec())
                .setRequestId(RequestIds.next())
                .build();
        PodPrinter.printCreated(this, output, client.call(DEADLINE, stubs -> stubs.pods().createPod(request)));
    }
}
