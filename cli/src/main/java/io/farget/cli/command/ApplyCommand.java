package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.PodSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Submit a pod spec file (YAML or JSON) and print the new pod's id.")
final class ApplyCommand extends ClientCommand {
    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "The pod spec file; - reads standard input.")
    String file;

    @Mixin
    OutputOptions output;

    ApplyCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        PodSpec spec = SpecFileReader.read(file);
        CreatePodRequest request = CreatePodRequest.newBuilder().setSpec(spec).setRequestId(RequestIds.next()).build();
        PodPrinter.printCreated(this, output, client.call(DEADLINE, stubs -> stubs.pods().createPod(request)));
    }
}
