package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.view.Views;
import io.farget.proto.v1.DeletePodRequest;
import io.farget.proto.v1.Pod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Kill a pod and print its id. Killing a pod that has already ended does nothing.")
final class KillCommand extends ClientCommand {
    @Parameters(paramLabel = "POD", description = "The pod's id.")
    String podId;

    @Mixin
    OutputOptions output;

    KillCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        DeletePodRequest request = DeletePodRequest.newBuilder().setPodId(podId).setRequestId(RequestIds.next()).build();
        Pod pod = client.call(DEADLINE, stubs -> stubs.pods().deletePod(request));
        printLine(output.json() ? Json.write(Views.pod(pod)) : podId);
    }
}
