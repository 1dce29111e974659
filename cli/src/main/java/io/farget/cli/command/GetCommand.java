package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.PodView;
import io.farget.cli.view.Views;
import io.farget.proto.v1.GetPodRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true, description = "Show one pod.")
final class GetCommand extends ClientCommand {
    @Parameters(paramLabel = "POD", description = "The pod's id.")
    String podId;

    @Mixin
    OutputOptions output;

    GetCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        GetPodRequest request = GetPodRequest.newBuilder().setPodId(podId).build();
        PodView pod = Views.pod(client.call(DEADLINE, stubs -> stubs.pods().getPod(request)));
        print(output.json() ? Json.write(pod) + "\n" : Tables.pod(pod, context.clock().instant()));
    }
}
