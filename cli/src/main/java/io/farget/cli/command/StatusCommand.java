package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.StatusView;
import io.farget.cli.view.Views;
import io.farget.proto.v1.GetStatusRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the cluster: leading scheduler, replicas, ZooKeeper, nodes and pods by state.")
final class StatusCommand extends ClientCommand {
    @Mixin
    OutputOptions output;

    StatusCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        StatusView status = Views.status(
                client.call(DEADLINE, stubs -> stubs.cluster().getStatus(GetStatusRequest.getDefaultInstance())));
        print(output.json() ? Json.write(status) + "\n" : Tables.status(status));
    }
}
