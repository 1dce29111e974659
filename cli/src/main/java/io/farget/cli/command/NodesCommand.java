package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.output.Tables;
import io.farget.cli.view.NodeView;
import io.farget.cli.view.Views;
import io.farget.proto.v1.ListNodesRequest;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List the nodes and what is placed on them.")
final class NodesCommand extends ClientCommand {
    @Mixin
    OutputOptions output;

    NodesCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void run(SchedulerClient client) {
        List<NodeView> nodes = Views.nodes(client.call(DEADLINE,
                        stubs -> stubs.nodes().listNodes(ListNodesRequest.getDefaultInstance())).getNodesList())
                .stream()
                .sorted(Comparator.comparing(NodeView::hostname).thenComparing(NodeView::id))
                .toList();
        print(output.json() ? Json.write(nodes) + "\n" : Tables.nodes(nodes));
    }
}
