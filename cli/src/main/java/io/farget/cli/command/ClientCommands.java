package io.farget.cli.command;

import io.farget.cli.CliContext;
import java.util.List;

/** The client verbs, in the order help lists them. */
public final class ClientCommands {
    private ClientCommands() {}

    public static List<Object> all(CliContext context) {
        return List.of(
                new RunCommand(context),
                new ApplyCommand(context),
                new PlanCommand(context),
                new GetCommand(context),
                new PsCommand(context),
                new LogsCommand(context),
                new ExecCommand(context),
                new KillCommand(context),
                NodeCommands.nodes(context),
                new UsageCommand(context),
                new StatusCommand(context));
    }
}
