package io.farget.cli.command;

import io.farget.cli.CliContext;
import io.farget.cli.client.SchedulerClient;
import io.farget.cli.output.Json;
import io.farget.cli.view.Views;
import io.farget.proto.v1.CordonNodeRequest;
import io.farget.proto.v1.DrainNodeRequest;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.UncordonNodeRequest;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farget nodes cordon|uncordon|drain NODE}: the operator's node commands. Each sets a state
 * on the leader (a standby points the CLI at it), so running one twice is harmless.
 */
final class NodeCommands {
    private NodeCommands() {}

    /** {@code nodes} with its subcommands. */
    static CommandLine nodes(CliContext context) {
        CommandLine nodes = new CommandLine(new NodesCommand(context));
        nodes.addSubcommand(new Cordon(context));
        nodes.addSubcommand(new Uncordon(context));
        nodes.addSubcommand(new Drain(context));
        return nodes;
    }

    /** Shared by the three: the node argument and printing the node it changed. */
    abstract static class NodeChange extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "The node's id.")
        String nodeId;

        @Mixin
        OutputOptions output;

        NodeChange(CliContext context) {
            super(context);
        }

        final void show(Node node, String what) {
            printLine(output.json() ? Json.write(Views.nodes(List.of(node)).get(0)) : "node " + node.getId() + " " + what);
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true, description = "Place no new pods on the node; its pods keep running.")
    static final class Cordon extends NodeChange {
        Cordon(CliContext context) {
            super(context);
        }

        @Override
        protected void run(SchedulerClient client) {
            show(client.call(DEADLINE, s -> s.nodes().cordonNode(CordonNodeRequest.newBuilder().setNodeId(nodeId).build())),
                    "cordoned");
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true, description = "Place new pods on the node again (ends a drain).")
    static final class Uncordon extends NodeChange {
        Uncordon(CliContext context) {
            super(context);
        }

        @Override
        protected void run(SchedulerClient client) {
            show(client.call(DEADLINE, s -> s.nodes().uncordonNode(UncordonNodeRequest.newBuilder().setNodeId(nodeId).build())),
                    "uncordoned");
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Cordon the node, move its restartable pods elsewhere and let the others finish; "
                    + "with --deadline, kill what still runs then. The node shows DRAINING.")
    static final class Drain extends NodeChange {
        @Option(names = "--deadline", paramLabel = "D", converter = Converters.Span.class,
                description = "Kill the pods still running after this long (30s, 5m, 2h). Default: no deadline.")
        Duration deadline;

        Drain(CliContext context) {
            super(context);
        }

        @Override
        protected void run(SchedulerClient client) {
            DrainNodeRequest request = DrainNodeRequest.newBuilder().setNodeId(nodeId)
                    .setDeadlineMillis(deadline == null ? 0 : deadline.toMillis()).build();
            show(client.call(DEADLINE, s -> s.nodes().drainNode(request)),
                    "draining" + (deadline == null ? "" : " (deadline " + deadline.toSeconds() + " s)"));
        }
    }
}
